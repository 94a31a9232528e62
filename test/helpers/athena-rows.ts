/**
 * CloudTrail records as Athena returns them from Firebreak's high-risk query over the documented table: the columns
 * in the query's order, structs as JSON with Athena's lower-cased field names, the rest as text (NULL as undefined).
 */
import { RECORD_COLUMNS } from '../../electron/core/athena/queries';

const lowerKeys = (v: unknown, parent = ''): unknown => {
  if (Array.isArray(v)) return v.map((x) => lowerKeys(x, parent));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k.toLowerCase(), parent === 'webidfederationdata' && k === 'attributes' ? x : lowerKeys(x, k.toLowerCase())]));
};

export const athenaColumns = [...RECORD_COLUMNS.map(([c]) => c), 'matched_rule'];

export function athenaRowOf(record: Record<string, unknown>, rule: string | undefined): Array<string | undefined> {
  const byLower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  const row = RECORD_COLUMNS.map(([c, json]) => {
    const v = byLower.get(c);
    if (v === undefined || v === null) return undefined;
    if (json) return JSON.stringify(lowerKeys(v));
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
  return [...row, rule];
}
