import type { LedgerEntry, Operator } from '../shared/domain';
import { FirebreakError } from './errors';
import { type Actor, type AppendInput, type ChangeEntries, Ledger, type LedgerView } from './ledger/ledger';
import type { PlaybookLibrary } from './kernel/playbook-library';
import type { Db } from './store/database';
import { SettingsRepository } from './store/settings-repository';
import { inTransaction } from './store/transactions';

/** What every domain's handlers get: the store, the ledger, the clock and who is working. */
export interface CoreContext {
  readonly db: Db;
  readonly ledger: LedgerView;
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
  /**
   * The one way to change state: runs fn and appends the change's ledger entry in one SQLite transaction, so there is
   * no change without its entry and no entry without its change. A fixed entry is appended first and handed to fn (for
   * rows that cite its seq or time); an entry computed from fn's result is appended after fn, and may be several entries
   * or none (null or undefined: fn found nothing to change).
   */
  change<T>(actor: Actor, entry: AppendInput, fn: (recorded: LedgerEntry) => T): T;
  change<T>(actor: Actor, entry: (result: T) => ChangeEntries, fn: () => T): T;
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
  const settings = new SettingsRepository(o.db);
  let current: Operator | null = o.operator ?? null;
  if (!current) {
    const saved = settings.get(OPERATOR_KEY);
    current = saved ? (JSON.parse(saved) as Operator) : null;
  }
  const fixed = Boolean(o.operator);
  const ledger = new Ledger(o.db, now);
  const ctx: CoreContext = {
    db: o.db,
    ledger,
    dataDir: o.dataDir,
    resourcesDir: o.resourcesDir,
    mode: o.mode,
    version: o.version,
    playbooks: o.playbooks,
    now,
    operator: () => current,
    setOperator(op) {
      if (!fixed) settings.put(OPERATOR_KEY, JSON.stringify(op));
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
    change<T>(actor: Actor, entry: AppendInput | ((result: T) => ChangeEntries), fn: (recorded: LedgerEntry) => T): T {
      return inTransaction(o.db, () => {
        if (typeof entry !== 'function') return fn(ledger.append(actor, entry));
        const result = (fn as () => T)();
        const entries = entry(result);
        for (const e of entries == null ? [] : 'scope' in entries ? [entries] : entries) ledger.append(actor, e);
        return result;
      });
    },
  };
  return ctx;
}
