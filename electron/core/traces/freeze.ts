import { badInput } from '../errors';

/** A datetime as playbooks write it (2026-06-10, 2026-06-10 00:00:00, ...Z, ...+02:00); no zone means UTC. A bare end date means its whole day. */
function timeOf(value: string, end: boolean, what: string): number {
  const v = value.trim().replace(' ', 'T');
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const ms = Date.parse(dateOnly ? `${v}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`);
  if (Number.isNaN(ms)) throw badInput(`${what} "${value}" is not an ISO 8601 date or date-time (2026-06-10 or 2026-06-10T00:00:00Z).`);
  return dateOnly && end ? ms + 86_400_000 - 1 : ms;
}

/** The change freeze a destructive call must not fall in, or null when none is declared. */
export function freezeWindow(start: string | undefined, end: string | undefined, where: string): { startMs: number; endMs: number } | null {
  if (!start && !end) return null;
  if (!start || !end) throw badInput(`${where}: a change freeze needs both its start and its end.`);
  const w = { startMs: timeOf(start, false, `${where}: the freeze start`), endMs: timeOf(end, true, `${where}: the freeze end`) };
  if (w.endMs < w.startMs) throw badInput(`${where}: the freeze ends (${end}) before it starts (${start}).`);
  return w;
}
