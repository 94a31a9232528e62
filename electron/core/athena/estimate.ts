import type { AthenaEstimate, AthenaScope } from '../../shared/athena';
import { formatBytes } from '../../shared/bytes';

/** Athena's published price: $5 per TB scanned, each query billed at least 10 MB. */
export const USD_PER_TB = 5;
const TB = 1e12;
const MIN_BILLED = 10 * 1024 * 1024;
const DAY = 86_400_000;
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Day folders the window touches, counted in UTC as CloudTrail names them. */
export function daysIn(scope: Pick<AthenaScope, 'start' | 'end'>): number {
  const first = Math.floor(Date.parse(scope.start) / DAY);
  const last = Math.floor((Date.parse(scope.end) - 1) / DAY);
  return Math.max(1, last - first + 1);
}

/**
 * Each query reads every partition (account x Region x day) of the scope once; CloudTrail gzip JSON is not columnar,
 * so a query scans whole objects whatever it selects. The typical partition size is the responder's to give.
 */
export function estimateScan(scope: AthenaScope, queries: number, bytesPerPartition: number): AthenaEstimate {
  const partitions = daysIn(scope) * scope.accounts.length * scope.regions.length;
  const perQuery = Math.max(MIN_BILLED, partitions * bytesPerPartition);
  const bytes = perQuery * queries;
  const usd = Math.round((bytes / TB) * USD_PER_TB * 100) / 100;
  return {
    partitions,
    bytesPerPartition,
    queries,
    bytes,
    usd,
    basis: `${count(partitions, 'partition')} (${count(daysIn(scope), 'day')} x ${count(scope.accounts.length, 'account')} x ${count(scope.regions.length, 'Region')}) x ${formatBytes(bytesPerPartition)} typical each, x ${count(queries, 'query', 'queries')}, at $${USD_PER_TB}/TB (10 MB minimum a query)`,
  };
}
