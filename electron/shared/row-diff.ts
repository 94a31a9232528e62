/**
 * Row-level diff of two live databases (issue 20): which rows of each table are missing, extra or changed in the
 * actual database against the reference (the restored backup). Only counts and key lists; never row values.
 */

export type RowDiffStatus = 'match' | 'differs' | 'missing-table' | 'extra-table' | 'error';

export interface RowDiffTable {
  table: string;
  status: RowDiffStatus;
  /** Primary key of the reference (rows matched by key, `changed` counted) or the whole row (no primary key). */
  keyedBy: 'primary-key' | 'whole-row';
  key: string[];
  referenceRows: number | null;
  actualRows: number | null;
  /** In the reference, not in the actual. */
  missing: number;
  /** In the actual, not in the reference. */
  extra: number;
  /** Same key, different content (always 0 when keyed by the whole row). */
  changed: number;
  /** The CSV of differing keys (absolute path), when asked for and there was a difference. */
  keysFile: string | null;
  /** Hash buckets compared and how many differed (each matching bucket cost one checksum). */
  buckets: number;
  differingBuckets: number;
  message: string | null;
  /** With classification: what the table's rows hold and whose they are, and how many of those people the loss touched. */
  personal: RowDiffPersonal | null;
}

export interface RowDiffPersonal {
  categories: PersonalCategory[];
  classes: Array<'PII' | 'PHI' | 'financial'>;
  /**
   * `affected`: distinct subjects among the missing and changed rows (as the reference holds them, so rows the actual
   * lost are still followed to their people). `steps`: the foreign-key path used, empty for the table's own key.
   */
  subjects: { table: string; columns: string[]; total: number; affected: number; steps: SubjectStep[] } | null;
}

export interface RowDiffResult {
  match: boolean;
  reference: string;
  actual: string;
  comparedAt: string;
  tables: RowDiffTable[];
  notes: string[];
}

/** The progress of a diff: per table, its state and the rows read so far. */
export interface RowDiffProgress {
  phase: 'connecting' | 'listing' | 'diffing' | 'finished';
  tablesTotal: number;
  tablesDone: number;
  currentTable: string | null;
  /** What the current table is doing: summing hash buckets or reading the rows of the differing ones. */
  step: 'counting' | 'summing' | 'drilling' | null;
}

/** Personal data categories a column may hold (see `firebreak db classify`). */
export type PersonalCategory =
  | 'email'
  | 'phone'
  | 'person-name'
  | 'postal-address'
  | 'national-id'
  | 'date-of-birth'
  | 'ip-address'
  | 'payment-card'
  | 'iban'
  | 'health';

export interface ClassifiedColumn {
  column: string;
  categories: PersonalCategory[];
  /** What showed it: the column's name, its sampled values, or both. Null when nothing did. */
  by: 'name' | 'values' | 'name+values' | null;
  /** Non-null values sampled, and how many of them matched a value rule (the values themselves are never kept). */
  sampled: number;
  matched: number;
}

export interface ClassifiedTable {
  table: string;
  rows: number | null;
  columns: ClassifiedColumn[];
  /** The seeds' escalation classes the categories fall in. */
  classes: Array<'PII' | 'PHI' | 'financial'>;
  /**
   * Whose data the rows are: the table's own key when its rows are people, else a path of foreign keys (up to three
   * steps) to such a table; `columns` are those of the last step naming a person, `steps` the path (empty: own key).
   */
  subjects: { table: string; columns: string[]; count: number; steps: SubjectStep[] } | null;
  error: string | null;
}

/** One foreign-key step on the way from a table to its data subjects: from.columns -> to.referencedColumns. */
export interface SubjectStep {
  from: string;
  columns: string[];
  to: string;
  referencedColumns: string[];
}

/**
 * Whose rows these are, as one phrase: "customer_id -> public.customer", and the path when it took more than one step
 * ("... via payment.rental_id -> rental.rental_id, rental.customer_id -> customer.customer_id").
 */
export function subjectsText(s: { table: string; columns: readonly string[]; steps: readonly SubjectStep[] }): string {
  const head = `${s.columns.join('+')} -> ${s.table}`;
  if (s.steps.length < 2) return head;
  return `${head} via ${s.steps.map((x) => `${x.from}.${x.columns.join('+')} -> ${x.to}.${x.referencedColumns.join('+')}`).join(', ')}`;
}

export interface ClassifyResult {
  target: string;
  classifiedAt: string;
  /** Rows sampled per table. */
  sample: number;
  tables: ClassifiedTable[];
}
