import { Ledger } from '../../electron/core/ledger/ledger';
import { type Db, openDatabase } from '../../electron/core/store/database';
import { tempDir } from './temp';

/** A ledger over a real store in a temporary folder, its clock one second a tick from 2026-11-21 09:00 UTC. */
export function ledgerStore(): { db: Db; ledger: Ledger; close(): void } {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  let clock = 0;
  const ledger = new Ledger(db, () => new Date(Date.UTC(2026, 10, 21, 9, 0, clock++)));
  return {
    db,
    ledger,
    close: () => {
      db.close();
      dir.cleanup();
    },
  };
}
