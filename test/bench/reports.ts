// Reports and case bundle for a large incident: 10,000 evidence items and 100,000 ledger entries (quick: 1,000 and
// 10,000). Times each step and samples this process's peak resident memory while it runs; Chromium's own memory (PDF)
// is not included. The incident is built directly in the store (the intake itself is benchmarked elsewhere).
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openCore } from '../../electron/core/core';
import { evidenceRepository, itemId } from '../../electron/core/evidence/repository';
import { objectPath, objectsDir } from '../../electron/core/evidence/store';
import { verifyBundle } from '../../electron/core/reports/bundle/verify-bundle';
import { writeBundle } from '../../electron/core/reports/bundle/write-bundle';
import { exportReport } from '../../electron/core/reports/export';
import { chromiumPdf } from '../../electron/core/reports/pdf';
import { sha256Hex } from '../../electron/core/kernel/signature';
import { inTransaction } from '../../electron/core/store/transactions';
import type { Bench, BenchRow } from './types';

const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Runs fn while sampling resident memory; returns seconds, peak MB and how much the peak rose over the start. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number; growthMb: number }> {
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds: (performance.now() - start) / 1000, peakMb: peak / 1024 / 1024, growthMb: (peak - startRss) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export const benchReports: Bench = async ({ quick, workDir, log }) => {
  const items = quick ? 1_000 : 10_000;
  const entries = quick ? 10_000 : 100_000;
  const dataDir = join(workDir, 'data');
  const core = openCore({ dataDir, resourcesDir: repoRoot, mode: 'cli', version: 'bench', operator: { name: 'Dana Reyes', role: 'IR lead' } });
  const ctx = core.context;
  const rows: BenchRow[] = [];
  try {
    const r = await core.call('incidents.create', { playbookId: 'agent-destructive-action', title: 'Bench: agent dropped the orders database' });
    if (!r.ok) throw new Error(r.error.message);
    const id = (r.value as { id: string }).id;
    const actor = ctx.human();

    log(`building ${items} evidence items and ${entries} ledger entries`);
    mkdirSync(objectsDir(dataDir), { recursive: true });
    const repo = evidenceRepository(ctx.db);
    const at = ctx.now().toISOString();
    inTransaction(ctx.db, () => {
      let num = repo.nextNum();
      for (let i = 0; i < items; i += 1) {
        const content = Buffer.concat([Buffer.from(`cloudtrail page ${i}\n`), randomBytes(1024 + (i % 7) * 512)]);
        const sha256 = sha256Hex(content);
        writeFileSync(objectPath(dataDir, sha256), content, { mode: 0o400 });
        repo.insertBlob({ sha256, size: content.length, findings: [] }, at);
        const idOf = itemId(num);
        ctx.change(actor, { scope: id, action: 'evidence.acquired', subject: idOf, payload: { name: `page ${i}`, sha256, size: content.length } }, (e) => {
          repo.insertItem({
            id: idOf,
            num,
            incidentId: id,
            sha256,
            name: `lookup-events-page-${String(i).padStart(5, '0')}.json`,
            nameBytes: null,
            originalPath: null,
            originalPathBytes: null,
            modifiedAt: null,
            sourceKind: 'cloudtrail-api',
            description: null,
            acquiredAt: at,
            actor,
          });
          repo.addCustody(idOf, id, e.seq, 'acquisition');
        });
        num += 1;
      }
      const head = (ctx.db.prepare('SELECT seq FROM ledger_heads WHERE scope = ?').get(id) as { seq: number }).seq;
      const clear = (i: number) => ({ scope: id, action: 'monitoring.clear', subject: id, payload: { note: `daily check ${i}: no destructive calls by agent identities` } });
      ctx.change(actor, () => Array.from({ length: Math.max(0, entries - head) }, (_, k) => clear(head + k)), () => undefined);
    });
    const input = `${items.toLocaleString('en-US')} evidence items, ${entries.toLocaleString('en-US')} ledger entries`;

    let htmlSeconds = 0;
    for (const format of ['json', 'html', 'md'] as const) {
      const m = await measure(() => exportReport(ctx, {}, actor, { id, kind: 'incident', format, save: false }));
      if (format === 'html') htmlSeconds = m.seconds;
      rows.push({ name: `incident report (${format})`, input, oursSeconds: m.seconds, reference: null, referenceSeconds: null, peakMb: m.peakMb, note: `${(m.value.bytes.length / 1024 / 1024).toFixed(1)} MB` });
      log(`incident report ${format}: ${m.seconds.toFixed(2)} s`);
    }
    const pdf = await measure(() => exportReport(ctx, { pdf: () => chromiumPdf() }, actor, { id, kind: 'incident', format: 'pdf', save: false }));
    const pages = (pdf.value.bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    rows.push({
      name: 'incident report (pdf, Chromium)',
      input,
      oursSeconds: pdf.seconds,
      reference: 'the HTML report (same model)',
      referenceSeconds: htmlSeconds,
      target: '<= 5 s',
      peakMb: pdf.peakMb,
      note: `${(pdf.value.bytes.length / 1024 / 1024).toFixed(1)} MB, ${pages} pages; Chromium launch, layout and print included, its memory not counted`,
    });
    log(`incident report pdf: ${pdf.seconds.toFixed(2)} s`);
    for (const kind of ['gap', 'signoff'] as const) {
      const m = await measure(() => exportReport(ctx, {}, actor, { id, kind, format: 'html', save: false }));
      rows.push({ name: `${kind} report (html)`, input, oursSeconds: m.seconds, reference: null, referenceSeconds: null, peakMb: m.peakMb });
    }

    const plain = await measure(() => writeBundle(ctx, {}, actor, id, { out: join(workDir, 'case-no-pdf.zip'), version: 'bench', pdf: false }));
    rows.push({ name: 'case bundle (all evidence, no PDFs)', input, oursSeconds: plain.seconds, reference: null, referenceSeconds: null, peakMb: plain.peakMb, note: `${(plain.value.bytes / 1024 / 1024).toFixed(0)} MB zip; peak +${plain.growthMb.toFixed(0)} MB over its start` });
    log(`bundle without PDFs: ${plain.seconds.toFixed(2)} s`);
    const out = join(workDir, 'case.zip');
    const bundle = await measure(() => writeBundle(ctx, { pdf: () => chromiumPdf() }, actor, id, { out, version: 'bench' }));
    const size = statSync(out).size;
    rows.push({
      name: 'case bundle (all evidence, PDFs)',
      input,
      oursSeconds: bundle.seconds,
      reference: null,
      referenceSeconds: null,
      target: '<= 15 s',
      peakMb: bundle.peakMb,
      note: `${(size / 1024 / 1024).toFixed(0)} MB zip, ${bundle.value.files.toLocaleString('en-US')} files; peak +${bundle.growthMb.toFixed(0)} MB over its start`,
    });
    log(`bundle: ${bundle.seconds.toFixed(2)} s`);
    const verify = await measure(() => verifyBundle(out));
    if (!verify.value.ok) throw new Error(`the bench bundle does not verify: ${verify.value.problems.slice(0, 3).join('; ')}`);
    rows.push({ name: 'verify case bundle', input, oursSeconds: verify.seconds, reference: null, referenceSeconds: null, peakMb: verify.peakMb, note: `hashes, ledger chain, re-rendered reports, signatures; peak +${verify.growthMb.toFixed(0)} MB over its start` });
    log(`verify: ${verify.seconds.toFixed(2)} s`);
  } finally {
    core.close();
  }
  return rows;
};
