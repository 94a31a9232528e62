/** One line of the `npm run bench` table: our time against a reference tool on the same input in the same run. */
export interface BenchRow {
  /** What was measured, e.g. "evidence intake 2 GiB". */
  name: string;
  /** The input, e.g. "2 GiB random file". */
  input: string;
  /** Our wall time in seconds. */
  oursSeconds: number;
  /** The reference tool or pipeline, e.g. "openssl dgst -sha256"; null where the issue names none. */
  reference: string | null;
  referenceSeconds: number | null;
  /** The target as the issue states it, e.g. "<= 1.5x". */
  target?: string;
  /** Peak resident memory of our run in MB, where measured. */
  peakMb?: number;
  /** Throughput or anything else worth a column, e.g. "2,450 items/s". */
  note?: string;
}

export interface BenchOptions {
  /** FIREBREAK_BENCH_QUICK=1: small inputs, for checking the harness, not for the README. */
  quick: boolean;
  /** Scratch directory for inputs; removed afterwards. */
  workDir: string;
  log(line: string): void;
}

export type Bench = (o: BenchOptions) => Promise<BenchRow[]>;
