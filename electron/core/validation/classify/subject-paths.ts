import type { ClassifiedTable, PersonalCategory, SubjectStep } from '../../../shared/row-diff';
import type { TableDefinition } from '../../../shared/validation';
import type { TableRef } from '../adapters/adapter';
import type { JoinHop } from '../adapters/keyed-hash';
import { matchKey } from '../baseline/scan';
import { PERSON_TABLE, categoriesFromName, normaliseName } from './detectors';

/** At most this many foreign-key steps from a table to its people (payment -> rental -> customer is two). */
export const MAX_SUBJECT_HOPS = 3;

/** Categories that make a table's rows people, so its own key names the data subject. */
export const PERSON_CATEGORIES: ReadonlySet<PersonalCategory> = new Set(['email', 'person-name', 'national-id', 'date-of-birth', 'phone']);

/** Categories that name a person by themselves; a phone number alone may be a shop's or an address's. */
const NAMING_CATEGORIES: ReadonlySet<PersonalCategory> = new Set(['email', 'person-name', 'national-id', 'date-of-birth']);

/**
 * How surely a table's rows are people: 3 named so (customer, staff), 2 holding a person's name, email, national
 * identifier or birth date, 1 only a phone number (Pagila's address), 0 not people. Columns as classified from names
 * and values when the table was classified, else from their names alone.
 */
export function personScore(ref: TableRef, classified: ClassifiedTable | undefined, def: TableDefinition | undefined): number {
  if (PERSON_TABLE.test(normaliseName(ref.name))) return 3;
  const categories = classified
    ? classified.columns.flatMap((c) => c.categories)
    : (def?.columns ?? []).flatMap((c) => categoriesFromName(c.name, ref.name));
  if (categories.some((x) => NAMING_CATEGORIES.has(x))) return 2;
  return categories.some((x) => PERSON_CATEGORIES.has(x)) ? 1 : 0;
}

/** Whose rows a table holds: the person table, the key columns that name a person, and how they are reached. */
export interface SubjectPath {
  /** The table of people. */
  person: TableRef;
  /** The columns naming a person: the table's own key, or the last step's foreign-key columns. */
  columns: string[];
  /** Joins from the table to the one holding `columns` (all steps but the last; none for one step or the own key). */
  via: JoinHop[];
  /** Every step, the last one to the person table included, as the result states it. */
  steps: SubjectStep[];
}

export interface SchemaGraph {
  tables: readonly TableRef[];
  defs: ReadonlyMap<string, TableDefinition>;
  classified: ReadonlyMap<string, ClassifiedTable>;
}

/**
 * The shortest foreign-key path (at most MAX_SUBJECT_HOPS steps, each table visited once, so cycles end) from a table
 * to a table of people. A table of people is its own subject by its primary key. Among paths of the same length the
 * surest table of people wins (a store's manager in staff over its address with a phone), then the first foreign key
 * in column order, as the schema lists them. Null when no such path exists.
 */
export function findSubjectPath(start: TableRef, g: SchemaGraph): SubjectPath | null {
  const byKey = new Map(g.tables.map((t) => [matchKey(t.display), t]));
  const score = (t: TableRef) => personScore(t, g.classified.get(matchKey(t.display)), g.defs.get(t.display));
  const startDef = g.defs.get(start.display);
  if (!startDef) return null;
  if (score(start) > 0 && startDef.primaryKey.length) return { person: start, columns: [...startDef.primaryKey], via: [], steps: [] };
  interface Walk {
    at: TableRef;
    hops: Array<{ from: TableRef; to: TableRef; columns: string[]; referenced: string[] }>;
  }
  const seen = new Set([matchKey(start.display)]);
  let frontier: Walk[] = [{ at: start, hops: [] }];
  for (let depth = 1; depth <= MAX_SUBJECT_HOPS && frontier.length; depth++) {
    const next: Walk[] = [];
    const found: Array<{ sure: number; target: TableRef; hops: Walk['hops'] }> = [];
    for (const w of frontier) {
      for (const fk of g.defs.get(w.at.display)?.foreignKeys ?? []) {
        const target = byKey.get(matchKey(fk.references));
        if (!target || seen.has(matchKey(target.display)) || fk.referencedColumns.some((c) => !c)) continue;
        const hops = [...w.hops, { from: w.at, to: target, columns: fk.columns, referenced: fk.referencedColumns }];
        const sure = score(target);
        if (sure) found.push({ sure, target, hops });
        else next.push({ at: target, hops });
      }
    }
    // The surest first; among equals the first found (a stable sort keeps the schema's order).
    const best = found.sort((a, b) => b.sure - a.sure)[0];
    if (best) return pathOf(best.target, best.hops);
    // Marked after the whole level: two tables of one level may both lead on to the same next table.
    for (const w of next) seen.add(matchKey(w.at.display));
    frontier = next;
  }
  return null;
}

function pathOf(person: TableRef, hops: Array<{ from: TableRef; to: TableRef; columns: string[]; referenced: string[] }>): SubjectPath {
  const last = hops[hops.length - 1];
  return {
    person,
    columns: last ? [...last.columns] : [],
    via: hops.slice(0, -1).map((h) => ({ table: h.to, from: h.columns, to: h.referenced })),
    steps: hops.map((h) => ({ from: h.from.display, columns: h.columns, to: h.to.display, referencedColumns: h.referenced })),
  };
}
