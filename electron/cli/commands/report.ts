import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { FirebreakError } from '../../core/errors';
import { gapHandlers } from '../../core/gap/handlers';
import { verifyBundle } from '../../core/reports/bundle/verify-bundle';
import { writeBundle } from '../../core/reports/bundle/write-bundle';
import { exportReport } from '../../core/reports/export';
import { reportHandlers } from '../../core/reports/handlers';
import { chromiumPdf } from '../../core/reports/pdf';
import { FileKeyStore, keysDir } from '../../core/signers/key-store';
import { signoffHandlers } from '../../core/signoff/handlers';
import { gapContract } from '../../shared/contract/gap';
import { exportReportInput, reportsContract } from '../../shared/contract/reports';
import { signoffContract } from '../../shared/contract/signoff';
import { GAP_STATES, GAP_STATE_LABELS } from '../../shared/gap';
import { REPORT_FORMATS, REPORT_KINDS, TLP_MARKINGS } from '../../shared/reports';
import type { SignOffStatus } from '../../shared/signoff';
import { type CliEnv, CliExit, EXIT } from '../env';

const contracts = { ...gapContract, ...signoffContract, ...reportsContract };
type Method = keyof typeof contracts;

function toExit(e: unknown): never {
  if (e instanceof FirebreakError) {
    const code = e.code === 'gate-not-met' || e.code === 'check-failed' ? EXIT.problem : EXIT.usage;
    throw new CliExit(code, [`firebreak: ${e.message}`, ...(e.details ?? []).map((d) => `  ${d}`)].join('\n'));
  }
  if (e instanceof z.ZodError) {
    throw new CliExit(EXIT.usage, ['firebreak: the input is not valid.', ...e.issues.map((i) => `  ${i.path.join('.') || 'input'}: ${i.message}`)].join('\n'));
  }
  throw e;
}

/** Parses the input with the method's contract schema, as every adapter does, then runs this domain's handler. */
async function invoke<M extends Method>(env: CliEnv, method: M, input: z.input<(typeof contracts)[M]['input']>): Promise<(typeof contracts)[M]['output']> {
  try {
    const ctx = env.open().context;
    const handlers = { ...gapHandlers(ctx), ...signoffHandlers(ctx, { keys: new FileKeyStore(keysDir(ctx.dataDir)) }), ...reportHandlers(ctx) } as Record<string, (i: unknown) => unknown>;
    const parsed = contracts[method].input.parse(input);
    return (await (handlers[method] as (i: unknown) => unknown)(parsed)) as (typeof contracts)[M]['output'];
  } catch (e) {
    return toExit(e);
  }
}

function progressLine(env: CliEnv, enabled: boolean) {
  let last = 0;
  return (stage: string, done: number, total: number) => {
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
      let input: z.output<typeof exportReportInput>;
      try {
        input = exportReportInput.parse({ id, kind: o.kind, format: o.format, ...(tlp ? { tlp } : {}), save: o.save });
      } catch (e) {
        return toExit(e);
      }
      const core = env.open();
      const r = await exportReport(core.context, { pdf: () => chromiumPdf() }, core.context.human(), input).catch(toExit);
      const out = resolve(o.out);
      writeFileSync(out, r.bytes);
      if (o.json) {
        const { bytes: _b, content: _c, ...rest } = r;
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
      const core = env.open();
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        const r = await writeBundle(core.context, { pdf: () => chromiumPdf() }, core.context.human(), id, {
          out: resolve(o.out),
          manifestOnly: Boolean(o.manifestOnly),
          pdf: o.pdf,
          version: core.context.version,
          signal: controller.signal,
          onProgress: progressLine(env, o.progress ?? Boolean(process.stderr.isTTY)),
        }).catch(toExit);
        if (o.json) env.json(r);
        else env.io.out(`${r.sha256}  ${o.out}\n`);
        if (!o.json) env.io.err(`${r.files} files, ${r.evidenceItems} evidence items${r.manifestOnly ? ' (manifest only)' : ''}, ${r.ledgerEntries} ledger entries. Check it with: firebreak verify ${o.out}\n`);
        if (r.problems.length) {
          throw new CliExit(EXIT.problem, ['firebreak: the bundle was written, but the evidence store has problems:', ...r.problems.map((p) => `  ${p}`)].join('\n'));
        }
      } finally {
        process.off('SIGINT', stop);
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
      const v = await verifyBundle(resolve(path), { onProgress: (done, total) => show('checking', done, total) });
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

function printStatus(env: CliEnv, statuses: SignOffStatus[]): void {
  for (const s of statuses) {
    env.io.out(`${s.stepId}  ${s.title}: ${s.complete ? 'complete' : 'incomplete'}; gate ${s.gate.met ? 'met' : 'NOT met'}\n`);
    for (const a of s.attestations) env.io.out(`  attestation ${a.id}: ${a.evidence.map((e) => `${e.id} (${e.status})`).join(', ') || 'no evidence'}\n`);
    for (const m of s.gate.missing) env.io.out(`  missing: ${m}\n`);
    for (const x of s.signers) {
      env.io.out(`  ${x.role.padEnd(8)}  ${x.signOff ? `${x.signOff.name}, ${x.signOff.signedAt}, key ${x.signOff.fingerprint}${x.signOff.override ? ', WITH OVERRIDE' : ''}` : 'not signed'}\n`);
    }
  }
}

function registerSignoff(program: Command, env: CliEnv): void {
  program
    .command('signoff')
    .description('sign a sign-off step (default: the Recovery sign-off) with your Ed25519 key; exit 1 naming what is missing')
    .argument('<incident>', 'incident id')
    .option('--role <role>', 'your role: IR lead, CISO, Legal, or another role the step names')
    .option('--name <name>', 'your name as it appears on the statement')
    .option('--override <reason>', 'sign although the gate is not met; the reason is shown prominently in every report')
    .option('--step <id>', 'another sign-off step, e.g. residual-risk-sign-off')
    .option('--status', 'show who signed and what is missing, without signing')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { role?: string; name?: string; override?: string; step?: string; status?: boolean; json?: boolean }) => {
      if (o.status) {
        const s = await invoke(env, 'signoff.status', { id });
        return o.json ? env.json(s) : printStatus(env, s);
      }
      // --role is also the program's option (the actor's role): for signoff both mean the signer's role.
      const role = o.role ?? env.globals().role;
      if (!role || !o.name) throw new CliExit(EXIT.usage, 'firebreak: signoff needs --role ROLE and --name NAME (or --status)');
      const r = await invoke(env, 'signoff.sign', { id, role, name: o.name, ...(o.override ? { override: o.override } : {}), ...(o.step ? { stepId: o.step } : {}) });
      if (o.json) return env.json(r);
      env.io.out(`${r.id}  ${r.name} (${r.role}) signed "${r.stepTitle}" at ${r.signedAt}\n`);
      env.io.out(`  report sha256 ${r.reportSha256}\n  key fingerprint ${r.fingerprint}\n`);
      if (r.override) env.io.out(`  OVERRIDE: ${r.override.justification}\n`);
      else if (o.override) env.io.err('note: the gate is met, so the override was not needed and is not recorded.\n');
    });

  program
    .command('attestation')
    .description('evidence behind a sign-off attestation')
    .command('link')
    .description('link an evidence item to an attestation (each attestation needs intact evidence before anyone signs)')
    .argument('<incident>', 'incident id')
    .argument('<attestation>', 'attestation id, e.g. data-restored-and-validated')
    .argument('<item>', 'evidence item (EV-000012, 12, or a SHA-256 prefix)')
    .option('--step <id>', 'the sign-off step (default: the Recovery sign-off)')
    .option('--unlink', 'remove the link instead')
    .action(async (id: string, attestationId: string, itemId: string, o: { step?: string; unlink?: boolean }) => {
      const s = await invoke(env, 'signoff.linkEvidence', { id, attestationId, itemId, unlink: Boolean(o.unlink), ...(o.step ? { stepId: o.step } : {}) });
      printStatus(env, s.filter((x) => !o.step || x.stepId === o.step).slice(0, 1));
    });
}

function registerGap(program: Command, env: CliEnv): void {
  const gap = program.command('gap').description('the Post-Incident gap analysis against SP 800-53');
  gap
    .command('show')
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON (with each control\'s statement and assessment objectives)')
    .action(async (id: string, o: { json?: boolean }) => {
      const g = await invoke(env, 'gap.get', { id });
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
      const g = await invoke(env, 'gap.assess', {
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
      await invoke(env, 'gap.linkEvidence', { id, controlId, itemId, unlink: Boolean(o.unlink) });
      env.io.out(`${o.unlink ? 'Unlinked' : 'Linked'} ${itemId} ${o.unlink ? 'from' : 'to'} ${controlId.toUpperCase()}\n`);
    });
}

/** `report`, `bundle`, `verify`, `signoff`, `attestation link` and `gap show|set|link`. */
export function registerReportCommands(program: Command, env: CliEnv): void {
  registerReport(program, env);
  registerBundle(program, env);
  registerSignoff(program, env);
  registerGap(program, env);
}
