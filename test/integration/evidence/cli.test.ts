import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../../electron/core/evidence/store';
import type { EvidenceItem, EvidenceVerification } from '../../../electron/shared/evidence';
import { type Workspace, cli, makeWorkspace } from './helpers';

let w: Workspace;
beforeEach(() => {
  w = makeWorkspace();
});
afterEach(() => w.cleanup());

const sha256sum = (file: string) => execFileSync('sha256sum', [file]).toString().split(' ')[0] as string;

function flipByte(path: string): void {
  chmodSync(path, 0o644);
  const fd = openSync(path, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, 0);
  b[0] = (b[0] ?? 0) ^ 0x01;
  writeSync(fd, b, 0, 1, 0);
  closeSync(fd);
}

function files(names: Record<string, string>): string[] {
  const dir = join(w.root, 'collected');
  mkdirSync(dir, { recursive: true });
  return Object.entries(names).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
}

describe('firebreak evidence (in process)', () => {
  it('add prints sha256sum lines, once per file given, and stores identical content once', async () => {
    const [a, b] = files({ 'agent.log': 'agent log\n', 'db-dump.sql': 'DROP TABLE orders;\n' }) as [string, string];
    const r = await cli(w.dataDir, ['evidence', 'add', w.incidentId, a, b, a, '--note', 'pulled from the agent host']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`${sha256sum(a)}  ${a}\n${sha256sum(b)}  ${b}\n${sha256sum(a)}  ${a}\n`);
    // The same text sha256sum prints, so `sha256sum -c` accepts our output as is.
    expect(spawnSync('sha256sum', ['-c', '-'], { input: r.out }).status).toBe(0);

    const list = await cli(w.dataDir, ['evidence', 'list', w.incidentId, '--json']);
    const items = JSON.parse(list.out) as EvidenceItem[];
    expect(items.map((i) => [i.name, i.acquisitions, i.description])).toEqual([
      ['agent.log', 2, 'pulled from the agent host'],
      ['db-dump.sql', 1, 'pulled from the agent host'],
    ]);
    expect(items[0]?.custody?.map((e) => e.action)).toEqual(['evidence.acquired', 'evidence.reacquired']);
  });

  it('add --json prints the items; --step links them to the artifact they are, or asks which', async () => {
    // A real incident: --step reads the pinned playbook's steps, which the seeded test playbook is too small to run.
    const opened = await cli(w.dataDir, ['incident', 'new', '--playbook', 'agent-destructive-action']);
    expect(opened.code).toBe(0);
    const id = opened.out.trim();
    const [a] = files({ 'keys.txt': 'k' });
    const ask = await cli(w.dataDir, ['evidence', 'add', id, a as string, '--step', 'snapshot-iam-state']);
    expect(ask.code).toBe(2);
    expect(ask.err).toContain('credential-report');
    const r = await cli(w.dataDir, ['evidence', 'add', id, a as string, '--json', '--step', 'credential-report', '--kind', 'report']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ name: 'keys.txt', sourceKind: 'report', linkedSteps: ['credential-report'] })]);
    const list = await cli(w.dataDir, ['evidence', 'list', id, '--json']);
    expect((JSON.parse(list.out) as EvidenceItem[]).map((i) => i.name)).toEqual(['keys.txt']);
  });

  it('verify prints intact/modified/missing per item and exits 1 naming what is not intact', async () => {
    const [a, b] = files({ 'a.txt': 'alpha', 'b.txt': 'bravo' }) as [string, string];
    await cli(w.dataDir, ['evidence', 'add', w.incidentId, a, b]);
    const ok = await cli(w.dataDir, ['evidence', 'verify', w.incidentId, '--json']);
    expect(ok.code).toBe(0);
    const v = JSON.parse(ok.out) as EvidenceVerification;
    expect(v.ok).toBe(true);
    expect(v.items.map((i) => Object.keys(i).sort())).toEqual([
      ['id', 'name', 'sha256', 'status'],
      ['id', 'name', 'sha256', 'status'],
    ]);

    flipByte(objectPath(w.dataDir, sha256sum(b)));
    const bad = await cli(w.dataDir, ['evidence', 'verify', w.incidentId]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^intact {4}EV-000001 .* a\.txt\nmodified {2}EV-000002 .* b\.txt\n$/);
    expect(bad.err).toContain('1 of 2 evidence items');
    expect(bad.err).toContain('EV-000002 b.txt (modified)');
    const json = await cli(w.dataDir, ['evidence', 'verify', w.incidentId, '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as EvidenceVerification).items[1]).toMatchObject({ id: 'EV-000002', status: 'modified' });
    expect((await cli(w.dataDir, ['audit', 'verify', w.incidentId])).code).toBe(0);
  });

  it('writes a SHA256SUMS that the real sha256sum -c accepts, for the originals and for the store', async () => {
    const paths = files({ 'a.txt': 'alpha', 'notes with spaces.md': '# notes', 'back\\slash.txt': 'b' });
    await cli(w.dataDir, ['evidence', 'add', w.incidentId, ...paths]);
    const sums = join(w.root, 'SHA256SUMS');
    const r = await cli(w.dataDir, ['evidence', 'manifest', w.incidentId, '--format', 'sha256sums', '--out', sums]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('3 items');
    // A reviewer with a folder of the original files:
    const check = spawnSync('sha256sum', ['-c', sums], { cwd: join(w.root, 'collected') });
    expect(check.stderr.toString()).toBe('');
    expect(check.status).toBe(0);
    expect(check.stdout.toString().trim().split('\n')).toHaveLength(3);
    // The locker itself, checked without Firebreak:
    const store = join(w.root, 'STORE-SUMS');
    await cli(w.dataDir, ['evidence', 'manifest', w.incidentId, '--format', 'sha256sums', '--paths', 'store', '--out', store]);
    expect(spawnSync('sha256sum', ['--quiet', '-c', store]).status).toBe(0);
    flipByte(objectPath(w.dataDir, sha256sum(paths[0] as string)));
    const tampered = spawnSync('sha256sum', ['-c', store]);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout.toString()).toContain(`${sha256sum(paths[0] as string)}: FAILED`);
  });

  it('prints JSON and CSV manifests', async () => {
    const [a] = files({ 'a.txt': 'alpha' });
    await cli(w.dataDir, ['evidence', 'add', w.incidentId, a as string]);
    const json = await cli(w.dataDir, ['evidence', 'manifest', w.incidentId, '--format', 'json']);
    expect(JSON.parse(json.out)).toMatchObject({ manifest: 'firebreak-evidence', items: [{ id: 'EV-000001', name: 'a.txt' }] });
    const csv = await cli(w.dataDir, ['evidence', 'manifest', w.incidentId, '--format', 'csv', '--out', join(w.root, 'm.csv')]);
    expect(csv.code).toBe(0);
    expect(readFileSync(join(w.root, 'm.csv'), 'utf8').split('\r\n')[1]).toMatch(/^EV-000001,a\.txt,/);
    expect((await cli(w.dataDir, ['evidence', 'manifest', w.incidentId, '--format', 'xml'])).code).toBe(2);
  });

  it('custody, note and link', async () => {
    const [a] = files({ 'a.txt': 'alpha' });
    await cli(w.dataDir, ['evidence', 'add', w.incidentId, a as string]);
    expect((await cli(w.dataDir, ['evidence', 'note', w.incidentId, 'EV-000001', 'Copied to the legal hold share'])).code).toBe(0);
    expect((await cli(w.dataDir, ['evidence', 'link', w.incidentId, '1', 'isolate-agent'])).out).toContain('isolate-agent');
    const bad = await cli(w.dataDir, ['evidence', 'link', w.incidentId, '1', 'no-such-step']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no step or evidence artifact "no-such-step"');
    const c = await cli(w.dataDir, ['evidence', 'custody', w.incidentId, '1']);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/acquisition .*Dana Reyes \(IR lead\) {2}acquired "a\.txt"/);
    expect(c.out).toContain('note: Copied to the legal hold share');
    expect(c.out).toContain('linked to step isolate-agent');
  });

  it('bad input exits 2 with a clear message and adds nothing', async () => {
    mkdirSync(join(w.root, 'a-folder'));
    const [a] = files({ 'ok.txt': 'fine' });
    const dir = await cli(w.dataDir, ['evidence', 'add', w.incidentId, a as string, join(w.root, 'a-folder')]);
    expect(dir.code).toBe(2);
    expect(dir.err).toContain(`Cannot add ${join(w.root, 'a-folder')} as evidence: it is a directory`);
    expect(dir.out).toBe('');
    const missing = await cli(w.dataDir, ['evidence', 'add', 'IR-2026-0404', a as string]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no incident IR-2026-0404');
    expect((await cli(w.dataDir, ['evidence', 'list', w.incidentId])).out).toContain('No evidence');
  });

  it('takes a zero-byte file', async () => {
    const [empty] = files({ 'empty.bin': '' });
    const r = await cli(w.dataDir, ['evidence', 'add', w.incidentId, empty as string]);
    expect(r.out).toBe(`e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  ${empty}\n`);
  });
});
