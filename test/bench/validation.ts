// Benchmark of issue 7: baseline + compare of a 1,000,000- and a 10,000,000-row table on PostgreSQL and MariaDB,
// against a hand-written psql / mariadb query computing the same count and order-independent checksum, in the same run.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { withTarget } from '../../electron/core/validation/adapters/connect';
import { captureBaseline } from '../../electron/core/validation/baseline/baseline';
import { compareWithBaseline } from '../../electron/core/validation/baseline/compare';
import type { Bench, BenchRow } from './types';

const run = promisify(execFile);
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', admin: 'test' };
const MARIA = { host: '127.0.0.1', port: 3306, user: 'root' };
const MOD64 = 1n << 64n;

/**
 * The reference queries, written by hand for the bench table as a DBA would: every column's canonical text
 * (docs/validation-checksum.md) length-prefixed, md5 of the row, the first 64 bits summed. Same result as Firebreak's.
 */
const PG_REFERENCE = `SELECT count(*), sum(('x' || left(md5(
    coalesce(octet_length(id::text) || ':' || id::text, 'N')
 || coalesce(octet_length(customer_id::text) || ':' || customer_id::text, 'N')
 || coalesce(octet_length(trim_scale(amount)::text) || ':' || trim_scale(amount)::text, 'N')
 || coalesce(octet_length(status) || ':' || status, 'N')
 || coalesce(octet_length((created_at AT TIME ZONE 'UTC')::text) || ':' || (created_at AT TIME ZONE 'UTC')::text, 'N')
 || coalesce(octet_length(note) || ':' || note, 'N')), 16))::bit(64)::bigint) FROM bench`;

const MARIA_REFERENCE = `SELECT COUNT(*), SUM(CAST(CONV(LEFT(MD5(CONCAT(
    COALESCE(CONCAT(OCTET_LENGTH(id), ':', id), 'N'),
    COALESCE(CONCAT(OCTET_LENGTH(customer_id), ':', customer_id), 'N'),
    COALESCE(CONCAT(OCTET_LENGTH(TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM amount))), ':', TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM amount))), 'N'),
    COALESCE(CONCAT(OCTET_LENGTH(status), ':', status), 'N'),
    COALESCE(CONCAT(OCTET_LENGTH(created_at), ':', created_at), 'N'),
    COALESCE(CONCAT(OCTET_LENGTH(note), ':', note), 'N'))), 16), 16, 10) AS UNSIGNED)) FROM bench`;

interface Engine {
  label: string;
  referenceTool: string;
  create(db: string): Promise<void>;
  load(db: string, rows: number): Promise<void>;
  drop(db: string): Promise<void>;
  url(db: string): string;
  /** Runs the hand-written query in the engine's own CLI; returns count and checksum (16 hex digits). */
  reference(db: string): Promise<{ rows: number; checksum: string }>;
}

export async function pgExec(db: string, sql: string): Promise<void> {
  const c = new pg.Client({ host: PG.host, port: PG.port, user: PG.user, database: db });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function mariaExec(db: string | undefined, sql: string): Promise<void> {
  const c = await mysql.createConnection({ ...MARIA, ...(db ? { database: db } : {}) });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const toChecksum = (sum: string) => ((((BigInt(sum || '0') % MOD64) + MOD64) % MOD64).toString(16).padStart(16, '0'));

export const postgres: Engine = {
  label: 'PostgreSQL',
  referenceTool: 'psql, hand-written count + checksum query',
  create: (db) => pgExec(PG.admin, `CREATE DATABASE ${db}`),
  drop: (db) => pgExec(PG.admin, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`),
  url: (db) => `postgres://${PG.user}@${PG.host}:${PG.port}/${db}`,
  async load(db, rows) {
    await pgExec(
      db,
      `CREATE TABLE bench (id bigint PRIMARY KEY, customer_id int NOT NULL, amount numeric(12,2) NOT NULL, status text NOT NULL,
         created_at timestamptz NOT NULL, note text);
       INSERT INTO bench SELECT g, g % 50000, (g % 100000) / 100.0, (ARRAY['new', 'paid', 'shipped', 'refunded'])[1 + g % 4],
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END
       FROM generate_series(1, ${rows}) g`,
    );
    // Sets hint bits and the visibility map now, so no measured scan pays for them.
    await pgExec(db, 'VACUUM ANALYZE bench');
  },
  async reference(db) {
    const { stdout } = await run('psql', ['-X', '-A', '-t', '-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-d', db, '-c', PG_REFERENCE]);
    const [n = '0', s = '0'] = stdout.trim().split('|');
    return { rows: Number(n), checksum: toChecksum(s) };
  },
};

const mariadb: Engine = {
  label: 'MariaDB',
  referenceTool: 'mariadb CLI, hand-written count + checksum query',
  create: (db) => mariaExec(undefined, `CREATE DATABASE ${db} CHARACTER SET utf8mb4`),
  drop: (db) => mariaExec(undefined, `DROP DATABASE IF EXISTS ${db}`),
  url: (db) => `mysql://${MARIA.user}@${MARIA.host}:${MARIA.port}/${db}`,
  async load(db, rows) {
    await mariaExec(
      db,
      `CREATE TABLE bench (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(12,2) NOT NULL, status VARCHAR(16) NOT NULL,
         created_at DATETIME NOT NULL, note VARCHAR(64) NULL) ENGINE=InnoDB`,
    );
    // In slices, so no single transaction grows the undo log with millions of rows.
    const slice = 1_000_000;
    for (let from = 1; from <= rows; from += slice) {
      const to = Math.min(rows, from + slice - 1);
      await mariaExec(
        db,
        `INSERT INTO bench SELECT seq, seq % 50000, (seq % 100000) / 100, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'refunded'),
           TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, IF(seq % 7 = 0, NULL, CONCAT('note ', seq)) FROM seq_${from}_to_${to}`,
      );
    }
    await mariaExec(db, 'ANALYZE TABLE bench');
  },
  async reference(db) {
    const { stdout } = await run('mariadb', ['-N', '-B', '-h', MARIA.host, '-P', String(MARIA.port), '-u', MARIA.user, db, '-e', MARIA_REFERENCE]);
    const [n = '0', s = '0'] = stdout.trim().split('\t');
    return { rows: Number(n), checksum: toChecksum(s) };
  },
};

/** Peak resident memory of this process while fn runs, sampled every 20 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakMb: peak / (1024 * 1024) };
  } finally {
    clearInterval(timer);
  }
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function benchEngine(engine: Engine, sizes: number[], log: (l: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    const db = `fb_bench_${size}_${randomBytes(3).toString('hex')}`;
    await engine.create(db);
    try {
      log(`${engine.label}: loading ${size.toLocaleString('en')} rows into ${db}`);
      let t = process.hrtime.bigint();
      await engine.load(db, size);
      log(`${engine.label}: loaded in ${seconds(t).toFixed(1)} s; warming the cache`);
      await engine.reference(db);

      t = process.hrtime.bigint();
      const ours = await withPeakRss(async () => {
        const baseline = await withTarget(engine.url(db), {}, (a) => captureBaseline(a));
        const compared = await withTarget(engine.url(db), {}, (a) => compareWithBaseline(a, baseline));
        return { baseline, compared };
      });
      const oursSeconds = seconds(t);

      // The reference does the same work: one scan for the baseline, one for the compare.
      t = process.hrtime.bigint();
      const first = await engine.reference(db);
      const second = await engine.reference(db);
      const referenceSeconds = seconds(t);

      const table = ours.value.baseline.tables[0];
      if (!ours.value.compared.match || table?.rows !== size || table.checksum !== first.checksum || second.checksum !== first.checksum) {
        throw new Error(`${engine.label} ${size}: Firebreak (${table?.rows}, ${table?.checksum}) and the reference (${first.rows}, ${first.checksum}) disagree`);
      }
      log(`${engine.label} ${size}: ours ${oursSeconds.toFixed(2)} s, reference ${referenceSeconds.toFixed(2)} s, peak ${ours.peakMb.toFixed(0)} MB`);
      rows.push({
        name: `db baseline + compare (${engine.label})`,
        input: `${size.toLocaleString('en')} rows x 6 columns`,
        oursSeconds,
        reference: `${engine.referenceTool}, run twice`,
        referenceSeconds,
        target: '<= 1.5x',
        peakMb: ours.peakMb,
        note: `same count and checksum ${first.checksum}`,
      });
    } finally {
      await engine.drop(db);
    }
  }
  return rows;
}

export const benchValidation: Bench = async ({ quick, log }) => {
  const sizes = quick ? [100_000] : [1_000_000, 10_000_000];
  return [...(await benchEngine(postgres, sizes, log)), ...(await benchEngine(mariadb, sizes, log))];
};
