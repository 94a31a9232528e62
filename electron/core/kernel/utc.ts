/** `2026-05-01T10:39:55.123Z` -> `2026-05-01 10:39:55 UTC`; every time in a report is UTC. */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
