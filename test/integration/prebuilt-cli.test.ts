import { cpSync, mkdirSync, readFileSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ensureCliBuilt } from '../../scripts/build-cli';
import { agentStory, generateCorpus } from '../helpers/cloudtrail-corpus';
import { startCloudTrailServer } from '../helpers/cloudtrail-server';
import { repoRoot } from '../helpers/core';
import { heavyLoaded, runLogged } from '../helpers/module-log/run';
import { tempDir } from '../helpers/temp';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const bundleEntry = pathToFileURL(join(repoRoot, 'dist', 'cli', 'main.js')).href;
const sourceEntry = pathToFileURL(join(repoRoot, 'electron', 'cli', 'main.ts')).href;
const workerEntry = pathToFileURL(join(repoRoot, 'dist', 'cli', 'scan-worker.js')).href;
const logsWorkerEntry = pathToFileURL(join(repoRoot, 'dist', 'cli', 'logs-worker.js')).href;
const ACCESS_KEY = 'AKIAFBSTARTUPEXAMPL1';
const AWS_ENV = { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true', FIREBREAK_CLOUDTRAIL_RPS: '500', FIREBREAK_CLOUDTRAIL_BACKOFF_MS: '10' };

describe('the prebuilt CLI (dist/cli)', () => {
  const dir = tempDir();
  const dataDir = join(dir.path, 'data');
  const fb = (args: string[], env: NodeJS.ProcessEnv = {}) => runLogged(['--data-dir', dataDir, ...args], env);

  beforeAll(async () => {
    await ensureCliBuilt();
    for (const playbook of ['agent-destructive-action', 'agent-credential-exposure', 'agent-change-freeze-breach']) {
      const r = await fb(['incident', 'new', '--playbook', playbook]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
  afterAll(() => dir.cleanup());

  it('runs when current, and loads none of the heavy dependencies for --version', async () => {
    const r = await fb(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
    expect(r.modules).toContain(bundleEntry);
    expect(r.modules).not.toContain(sourceEntry);
    expect(r.modules.some((u) => u.includes('/node_modules/tsx/'))).toBe(false);
    expect(heavyLoaded(r.modules)).toEqual([]);
  });

  it('lists incidents without loading the AWS SDK, the database drivers, Playwright or React', async () => {
    const r = await fb(['incident', 'list']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^IR-\d{4}-\d{4}\b/gm)).toHaveLength(3);
    expect(r.modules).toContain(bundleEntry);
    expect(heavyLoaded(r.modules)).toEqual([]);
  });

  it('loads each heavy dependency only in the command that uses it', async () => {
    const id = (await fb(['incident', 'list'])).stdout.match(/^IR-\d{4}-\d{4}/m)?.[0] as string;
    const html = await fb(['report', id, '--kind', 'incident', '--format', 'html', '--out', join(dir.path, 'report.html')]);
    expect(html.stderr).toMatch(/kept as evidence EV-/);
    expect(html.code).toBe(0);
    expect(readFileSync(join(dir.path, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(heavyLoaded(html.modules)).toEqual(['react', 'react-dom']);

    const zip = join(dir.path, 'case.zip');
    const bundle = await fb(['bundle', id, '--no-pdf', '--out', zip]);
    expect(bundle.code).toBe(0);
    expect(heavyLoaded(bundle.modules)).toEqual(['react', 'react-dom', 'yazl']);
    const verify = await fb(['verify', zip]);
    expect(verify.code).toBe(0);
    expect(heavyLoaded(verify.modules)).toEqual(['react', 'react-dom', 'yauzl']);

    const server = await startCloudTrailServer({ events: agentStory(new Date()), accessKeys: [ACCESS_KEY], rateLimit: 0 });
    try {
      const pull = await fb(['cloudtrail', 'pull', id, '--region', 'us-east-1', '--endpoint', server.url], AWS_ENV);
      expect(pull.code).toBe(0);
      expect(heavyLoaded(pull.modules)).toEqual(['@aws-sdk/client-cloudtrail']);
    } finally {
      await server.close();
    }

    // The Google client loads for a GCP pull only; the credentials file does not exist, so it stops there.
    const gcp = await fb(['logs', 'pull', id, '--cloud', 'gcp', '--project', 'fake-project', '--endpoint', 'http://127.0.0.1:1'], { GOOGLE_APPLICATION_CREDENTIALS: join(dir.path, 'none.json') });
    expect(gcp.stderr).toMatch(/No Google Cloud credentials/);
    expect(gcp.code).toBe(2);
    expect(heavyLoaded(gcp.modules)).toEqual(['@googleapis/logging']);

    // Nothing listens on port 1: the command fails to connect, after loading its driver.
    const pg = await fb(['db', 'check', 'postgres://postgres@127.0.0.1:1/none']);
    expect(pg.code).toBe(2);
    expect(heavyLoaded(pg.modules)).toEqual(['pg']);
    const mysql = await fb(['db', 'check', 'mysql://root@127.0.0.1:1/none']);
    expect(mysql.code).toBe(2);
    expect(heavyLoaded(mysql.modules)).toEqual(['mysql2']);
  });

  it('scans CloudTrail exports with worker threads started from the bundle', async () => {
    // Stored (level 0) gzip makes the files big enough (over 8 MiB in all) for the scan to start workers.
    const corpus = generateCorpus({ dir: join(dir.path, 'exports'), records: 10_000, recordsPerFile: 2_500, level: 0 });
    const r = await fb(['cloudtrail', 'scan', join(dir.path, 'exports'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { records: number; files: number };
    expect(report).toMatchObject({ records: corpus.records, files: corpus.files.length });
    expect(r.modules).toContain(workerEntry);
  });

  it('scans audit logs with logs-worker threads started from the bundle, with the same report as from the sources', async () => {
    // Stored gzip again: big enough for `logs scan` to start workers.
    const dirs = join(dir.path, 'logs');
    generateCorpus({ dir: dirs, records: 10_000, recordsPerFile: 2_500, level: 0 });
    const r = await fb(['logs', 'scan', dirs, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.modules).toContain(logsWorkerEntry);
    const report = JSON.parse(r.stdout) as { records: number; byCloud: { aws: number } };
    expect(report.records).toBe(10_000);
    const sources = await fb(['logs', 'scan', dirs, '--json'], { FIREBREAK_FROM_SOURCES: '1' });
    expect(sources.stdout).toBe(r.stdout);
  });

  it('runs the TypeScript sources through tsx when FIREBREAK_FROM_SOURCES=1, with the same output', async () => {
    const prebuilt = await fb(['incident', 'list', '--json']);
    const sources = await fb(['incident', 'list', '--json'], { FIREBREAK_FROM_SOURCES: '1' });
    expect(sources.stderr).toBe('');
    expect(sources.code).toBe(0);
    expect(sources.modules).toContain(sourceEntry);
    expect(sources.modules).not.toContain(bundleEntry);
    expect(sources.stdout).toBe(prebuilt.stdout);
    expect(heavyLoaded(sources.modules)).toEqual([]);
  });
});

describe('bin/firebreak.js and a bundle that is no longer current', () => {
  // A copy of the sources, so that editing one cannot disturb the repository or other tests.
  const dir = tempDir();
  const root = join(dir.path, 'firebreak');
  const entry = (r: string) => pathToFileURL(join(root, r)).href;
  const run = (env: NodeJS.ProcessEnv = {}) => runLogged(['--version'], env, join(root, 'bin', 'firebreak.js'));

  beforeAll(async () => {
    mkdirSync(join(root, 'scripts'), { recursive: true });
    for (const p of ['electron', 'bin', 'package.json', 'tsconfig.json', join('scripts', 'build-cli.ts')]) cpSync(join(repoRoot, p), join(root, p), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    await buildCli(root);
  });
  afterAll(() => dir.cleanup());

  it('runs the bundle, then the sources once a source file was saved again, then the bundle after a rebuild', async () => {
    const fresh = await run();
    expect(fresh.stdout.trim()).toBe(version);
    expect(fresh.modules).toContain(entry('dist/cli/main.js'));

    // Same content, new mtime: what saving a file or switching a branch does. Only the stamp can tell.
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'electron', 'core', 'errors.ts'), later, later);
    const stale = await run();
    expect(stale.code).toBe(0);
    expect(stale.stdout.trim()).toBe(version);
    expect(stale.modules).toContain(entry('electron/cli/main.ts'));
    expect(stale.modules).not.toContain(entry('dist/cli/main.js'));

    await buildCli(root);
    expect((await run()).modules).toContain(entry('dist/cli/main.js'));
  });
});
