import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/core';
import { runFirebreak } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const WRITERS = 4;
const ROUNDS = 50;
const STEPS = ['inventory-production-agents', 'enumerate-aws-agent-roles', 'enumerate-azure-agent-principals', 'enumerate-ad-service-accounts'];

interface WriterResult {
  name: string;
  failures: { command: string; code: number; err: string }[];
}

function writer(dataDir: string, incident: string, workDir: string, name: string): Promise<WriterResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test', 'helpers', 'concurrent-writer.ts'), dataDir, incident, workDir, name, String(ROUNDS), ...STEPS],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`writer ${name} exited ${code}: ${err}`));
      else done(JSON.parse(out) as WriterResult);
    });
  });
}

describe('many writers on one data directory', () => {
  const dir = tempDir('fb-rel-writers-');
  const dataDir = join(dir.path, 'data');
  let incident = '';
  beforeAll(async () => {
    const r = await runFirebreak(['--data-dir', dataDir, 'incident', 'new', '--playbook', 'agent-destructive-action']);
    expect(r.stderr).toBe('');
    incident = r.stdout.trim();
  });
  afterAll(() => dir.cleanup());

  it(`${WRITERS} processes x ${ROUNDS} rounds of evidence add, step done and step note: none refused, ledger intact`, async () => {
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => {
        const work = join(dir.path, `w${i}`);
        mkdirSync(work);
        return writer(dataDir, incident, work, `w${i}`);
      }),
    );
    const failures = results.flatMap((r) => r.failures.map((f) => `${r.name} ${f.command} -> ${f.code}: ${f.err.split('\n')[0]}`));
    expect(failures).toEqual([]);

    const list = await runFirebreak(['--data-dir', dataDir, 'evidence', 'list', incident, '--json']);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(WRITERS * ROUNDS);
    const audit = await runFirebreak(['--data-dir', dataDir, 'audit', 'verify', incident]);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
  }, 600_000);
});
