import type { Operator } from '../shared/domain';
import { FirebreakError } from './errors';
import { type Actor, Ledger } from './ledger/ledger';
import type { PlaybookLibrary } from './playbooks/library';
import type { Db } from './store/database';

/** What every domain's handlers get: the store, the ledger, the clock and who is working. */
export interface CoreContext {
  readonly db: Db;
  readonly ledger: Ledger;
  readonly dataDir: string;
  readonly resourcesDir: string;
  readonly mode: 'electron' | 'browser' | 'cli';
  readonly version: string;
  readonly playbooks: PlaybookLibrary;
  now(): Date;
  operator(): Operator | null;
  setOperator(op: Operator): void;
  /** The person working; throws when nobody has said who they are. */
  human(): Actor;
  /** Machine work (collectors, scheduled checks) started on behalf of the operator. */
  automated(component: string): Actor;
  /** Runs fn in one SQLite transaction; the ledger entry of a change goes inside it. */
  tx<T>(fn: () => T): T;
}

export interface ContextOptions {
  db: Db;
  dataDir: string;
  resourcesDir: string;
  mode: CoreContext['mode'];
  version: string;
  playbooks: PlaybookLibrary;
  now?: () => Date;
  /** A fixed operator (the CLI's --actor); otherwise the last one set through session.setOperator. */
  operator?: Operator;
}

const OPERATOR_KEY = 'operator';

export function createContext(o: ContextOptions): CoreContext {
  const now = o.now ?? (() => new Date());
  const getSetting = o.db.prepare('SELECT value FROM settings WHERE key = ?');
  const putSetting = o.db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  let current: Operator | null = o.operator ?? null;
  if (!current) {
    const row = getSetting.get(OPERATOR_KEY) as { value: string } | undefined;
    current = row ? (JSON.parse(row.value) as Operator) : null;
  }
  const fixed = Boolean(o.operator);
  const ctx: CoreContext = {
    db: o.db,
    ledger: new Ledger(o.db, now),
    dataDir: o.dataDir,
    resourcesDir: o.resourcesDir,
    mode: o.mode,
    version: o.version,
    playbooks: o.playbooks,
    now,
    operator: () => current,
    setOperator(op) {
      if (!fixed) putSetting.run(OPERATOR_KEY, JSON.stringify(op));
      current = op;
    },
    human() {
      if (!current) {
        throw new FirebreakError('no-operator', 'Say who is working first: every action in the record carries a name and role.');
      }
      return { ...current, initiator: 'human' };
    },
    automated(component) {
      const op = ctx.human();
      return { name: `${component} (started by ${op.name})`, role: op.role, initiator: 'automated' };
    },
    tx: (fn) => o.db.transaction(fn)(),
  };
  return ctx;
}
