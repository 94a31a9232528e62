import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { GAP_STATES, GAP_STATE_LABELS } from '../../shared/gap';
import { REPORT_FORMATS, REPORT_KINDS, type ReportFormat, type ReportKind, TLP_MARKINGS, type TlpMarking } from '../../shared/reports';
import { type CliEnv, CliExit, EXIT } from '../env';

function progressLine(env: CliEnv, enabled: boolean) {
  let last = 0;
  return ({ stage, done, total }: { stage: string; done: number; total: number }) => {
    const now = Date.now();
    if (!enabled || (now - last < 200 && done !== total)) return;
    last = now;
    env.io.err(`\r  ${stage}: ${total ? Math.floor((done / total) * 100) : 100}%   ${done === total && stage === 'finishing' ? '\n' : ''}`);
  };
}

function registerReport(program: Command, env: CliEnv): void {
  program
    .command('report')
    .description('write a report: incident, gap analysis or sign-off, as PDF, HTML, Markdown, JSON or OSCAL; kept as evidence')
    .argument('<incident>', 'incident id, e.g. IR-2026-0001')
    .requiredOption('--kind <kind>', `${REPORT_KINDS.join('|')}`)
    .requiredOption('--format <format>', `${REPORT_FORMATS.join('|')}`)
    .requiredOption('--out <file>', 'where to write it')
    .option('--tlp <marking>', `${TLP_MARKINGS.join(', ')} (default: the incident's marking)`)
    .option('--no-save', 'do not keep the report as evidence')
    .option('--json', 'print what was written as JSON')
    .action(async (id: string, o: { kind: string; format: string; out: string; tlp?: string; save: boolean; json?: boolean }) => {
      const tlp = o.tlp && !o.tlp.startsWith('TLP:') ? `TLP:${o.tlp.toUpperCase()}` : o.tlp;
      // Kind, format and marking are checked by the Api's contract, which names a wrong one.
      const r = await env.call('reports.export', {
        id,
        kind: o.kind as ReportKind,
        format: o.format as ReportFormat,
        ...(tlp ? { tlp: tlp as TlpMarking } : {}),
        save: o.save,
      });
      const out = resolve(o.out);
      writeFileSync(out, Buffer.from(r.content, r.encoding === 'base64' ? 'base64' : 'utf8'));
      if (o.json) {
        const { content: _c, ...rest } = r;
        return env.json({ ...rest, path: out });
      }
      env.io.out(`${r.fileSha256}  ${o.out}\n`);
      env.io.err(`Content SHA-256 ${r.contentSha256}${r.evidenceId ? `; kept as evidence ${r.evidenceId}` : ''}\n`);
    });
}

function registerBundle(program: Command, env: CliEnv): void {
  program
    .command('bundle')
    .description('write the portable case bundle: reports, evidence, ledger, signatures, SHA256SUMS and VERIFY.txt')
    .argument('<incident>', 'incident id')
    .requiredOption('--out <file>', 'the zip to write, e.g. IR-2026-0001-case.zip')
    .option('--manifest-only', 'list the evidence with its hashes but leave the files out')
    .option('--no-pdf', 'leave out the PDF renderings (no Chromium needed)')
    .option('--progress', 'show progress on stderr (default: when stderr is a terminal)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, o: { out: string; manifestOnly?: boolean; pdf: boolean; progress?: boolean; json?: boolean }) => {
      const r = await env.call(
        'reports.writeBundle',
        { id, out: resolve(o.out), manifestOnly: Boolean(o.manifestOnly), pdf: o.pdf },
        { onProgress: progressLine(env, o.progress ?? Boolean(process.stderr.isTTY)) },
      );
      if (o.json) env.json(r);
      else env.io.out(`${r.sha256}  ${o.out}\n`);
      if (!o.json) env.io.err(`${r.files} files, ${r.evidenceItems} evidence items${r.manifestOnly ? ' (manifest only)' : ''}, ${r.ledgerEntries} ledger entries. Check it with: firebreak verify ${o.out}\n`);
      if (r.problems.length) {
        throw new CliExit(EXIT.problem, ['firebreak: the bundle was written, but the evidence store has problems:', ...r.problems.map((p) => `  ${p}`)].join('\n'));
      }
    });

  program
    .command('verify')
    .description('check a case bundle offline: hashes, the ledger chain, report hashes and every signature; exit 1 naming what fails')
    .argument('<bundle>', 'the zip file')
    .option('--progress', 'show progress on stderr (default: when stderr is a terminal)')
    .option('--json', 'print the result as JSON')
    .action(async (path: string, o: { progress?: boolean; json?: boolean }) => {
      const show = progressLine(env, o.progress ?? Boolean(process.stderr.isTTY));
      const v = await env.call('reports.verifyBundle', { path: resolve(path) }, { scratch: true, onProgress: (p) => show({ stage: 'checking', done: p.bytesDone, total: p.bytesTotal ?? 0 }) });
      if (o.progress ?? process.stderr.isTTY) env.io.err('\n');
      if (o.json) env.json(v);
      else for (const c of v.checks) env.io.out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(10)}  ${c.detail}\n`);
      if (v.ok) {
        if (!o.json) env.io.out(`${path}: the case bundle of ${v.incidentId} is intact.\n`);
        return;
      }
      throw new CliExit(EXIT.problem, [`firebreak: ${path} does not verify:`, ...v.problems.map((p) => `  ${p}`)].join('\n'));
    });
}

function registerGap(program: Command, env: CliEnv): void {
  const gap = program.command('gap').description('the Post-Incident gap analysis against SP 800-53');
  gap
    .command('show')
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON (with each control\'s statement and assessment objectives)')
    .action(async (id: string, o: { json?: boolean }) => {
      const g = await env.call('gap.get', { id });
      if (o.json) return env.json(g);
      for (const c of g.controls) {
        env.io.out(`${c.label.padEnd(8)}  ${(c.state ? GAP_STATE_LABELS[c.state] : 'Not assessed').padEnd(22)}  ${c.owner ?? ''}${c.dueDate ? ` by ${c.dueDate}` : ''}  ${c.control?.title ?? ''}\n`);
        if (c.gap) env.io.out(`          ${c.gap}\n`);
      }
      for (const m of g.missing) env.io.err(`missing: ${m}\n`);
    });
  gap
    .command('set')
    .description('record a control\'s state at the time of the incident, the specific gap, owner and due date')
    .argument('<incident>', 'incident id')
    .argument('<control>', 'control id, e.g. AC-6')
    .option('--state <state>', GAP_STATES.join('|'))
    .option('--gap <text>', 'the specific gap (for not-applicable: why)')
    .option('--owner <name>', 'who closes it')
    .option('--due <date>', 'when, YYYY-MM-DD')
    .action(async (id: string, controlId: string, o: { state?: string; gap?: string; owner?: string; due?: string }) => {
      const g = await env.call('gap.assess', {
        id,
        controlId,
        ...(o.state !== undefined ? { state: o.state as (typeof GAP_STATES)[number] } : {}),
        ...(o.gap !== undefined ? { gap: o.gap } : {}),
        ...(o.owner !== undefined ? { owner: o.owner } : {}),
        ...(o.due !== undefined ? { dueDate: o.due } : {}),
      });
      const c = g.controls.find((x) => x.label.toLowerCase() === controlId.toLowerCase() || x.controlId === controlId.toLowerCase());
      env.io.out(`${c?.label ?? controlId}: ${c?.state ? GAP_STATE_LABELS[c.state] : 'Not assessed'}\n`);
      for (const m of g.missing.filter((x) => c && x.startsWith(`${c.label}:`))) env.io.err(`missing: ${m}\n`);
    });
  gap
    .command('link')
    .description('link an evidence item to a control')
    .argument('<incident>', 'incident id')
    .argument('<control>', 'control id')
    .argument('<item>', 'evidence item')
    .option('--unlink', 'remove the link instead')
    .action(async (id: string, controlId: string, itemId: string, o: { unlink?: boolean }) => {
      await env.call('gap.linkEvidence', { id, controlId, itemId, unlink: Boolean(o.unlink) });
      env.io.out(`${o.unlink ? 'Unlinked' : 'Linked'} ${itemId} ${o.unlink ? 'from' : 'to'} ${controlId.toUpperCase()}\n`);
    });
}

/** `report`, `bundle`, `verify` and `gap show|set|link`. */
export function registerReportCommands(program: Command, env: CliEnv): void {
  registerReport(program, env);
  registerBundle(program, env);
  registerGap(program, env);
}
