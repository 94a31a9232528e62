/**
 * Ledger verification of a 1,000,000-entry incident chain (quick: 20,000) as a user runs it, `firebreak audit verify`
 * as a whole process, against `sha256sum` over the same canonical lines (the lines a reviewer would hash, one per
 * entry, as `jq -cS 'del(.hash)'` prints them) in the same run, interleaved. The chain is built directly in the store.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { prebuiltCli } from '../../bin/prebuilt-cli.js';
import { openCore } from '../../electron/core/core';
import { canonicalJson } from '../../electron/core/ledger/canonical-json';
import { ensureCliBuilt } from '../../scripts/build-cli';
import { REPO, cpuNote, firebreak, interleaved, timed, wall } from './processes';
import type { Bench } from './types';

const BATCH = 50_000;

/** Writes each entry's canonical line (every field but the hash) and checks that it hashes to the entry's hash. */
function writeCanonicalLines(entries: Iterable<{ hash: string }>, path: string): number {
  const fd = openSync(path, 'w');
  let buffered: string[] = [];
  let n = 0;
  const flush = () => {
    writeSync(fd, buffered.join(''));
    buffered = [];
  };
  try {
    for (const { hash, ...body } of entries) {
      const line = canonicalJson(body);
      if (n % 100_000 === 0 && createHash('sha256').update(line, 'utf8').digest('hex') !== hash) {
        throw new Error(`the canonical line of entry ${n + 1} does not hash to its recorded hash`);
      }
      buffered.push(`${line}\n`);
      n += 1;
      if (buffered.length === 10_000) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return n;
}

export const benchLedger: Bench = async (o) => {
  await ensureCliBuilt();
  if (!prebuiltCli(REPO)) throw new Error('dist/cli/ is not current after the build: the verify rows would measure tsx');
  const total = o.quick ? 20_000 : 1_000_000;
  const rounds = o.quick ? 3 : 5;
  const dataDir = join(o.workDir, 'data');
  const core = openCore({ dataDir, resourcesDir: REPO, mode: 'cli', version: 'bench', operator: { name: 'Dana Reyes', role: 'IR lead' } });
  const ctx = core.context;
  let id: string;
  const lines = join(o.workDir, 'ledger-lines.jsonl');
  try {
    const r = await core.call('incidents.create', { playbookId: 'agent-destructive-action', title: 'Bench: a long watch' });
    if (!r.ok) throw new Error(r.error.message);
    id = (r.value as { id: string }).id;
    const actor = ctx.human();
    o.log(`ledger: appending ${total.toLocaleString('en-US')} entries`);
    for (;;) {
      const head = ctx.ledger.head(id)?.seq ?? 0;
      if (head >= total) break;
      const n = Math.min(BATCH, total - head);
      const clear = (i: number) => ({ scope: id, action: 'monitoring.clear', subject: id, payload: { note: `daily check ${i}: no destructive calls by agent identities`, calls: i % 97 } });
      ctx.change(actor, () => Array.from({ length: n }, (_, k) => clear(head + k + 1)), () => undefined);
    }
    const written = writeCanonicalLines(ctx.ledger.iterate(id), lines);
    if (written !== total) throw new Error(`wrote ${written} canonical lines for ${total} entries`);
  } finally {
    core.close();
  }
  const mb = statSync(lines).size / 1024 / 1024;

  timed('sha256sum', [lines]); // warm the page cache for both sides
  const runs = interleaved(rounds, {
    sha256sum: () => timed('sha256sum', [lines]),
    ours: () => {
      const v = firebreak(['--data-dir', dataDir, 'audit', 'verify', id]);
      if (!v.stdout.includes(`intact: ${total} entries`)) throw new Error(`audit verify did not find the chain intact:\n${v.stdout}`);
      return v;
    },
  });
  const ours = wall(runs.ours);
  const ref = wall(runs.sha256sum);
  const input = `${total.toLocaleString('en-US')} entries (${mb.toFixed(0)} MB of canonical lines), median of ${rounds}`;
  o.log(`ledger: verify ${ours.toFixed(3)} s, sha256sum ${ref.toFixed(3)} s`);
  return [
    {
      name: 'firebreak audit verify (whole process)',
      input,
      oursSeconds: ours,
      reference: 'sha256sum over the canonical lines',
      referenceSeconds: ref,
      target: '<= 2x',
      note: `${(ours / ref).toFixed(2)}x sha256sum, ${Math.round(total / ours).toLocaleString('en-US')} entries/s, start-up included; ${cpuNote(runs.ours)} (sha256sum ${cpuNote(runs.sha256sum)}); prebuilt dist/cli`,
    },
  ];
};
