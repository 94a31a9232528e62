import { basename } from 'node:path';
import type { Command } from 'commander';
import { APP_HELD_KEY_LABEL, type SignOffRecord, type SignOffStatus } from '../../shared/signoff';
import { type CliEnv, CliExit, EXIT } from '../env';
import { readInput, writeOutput } from '../files';

const custody = (r: SignOffRecord) => (r.scheme === 'sshsig' ? `own key ${r.fingerprint}` : `key ${r.fingerprint} (${APP_HELD_KEY_LABEL})`);

function printStatus(env: CliEnv, statuses: SignOffStatus[]): void {
  for (const s of statuses) {
    env.io.out(`${s.stepId}  ${s.title}: ${s.complete ? 'complete' : 'incomplete'}; gate ${s.gate.met ? 'met' : 'NOT met'}\n`);
    for (const a of s.attestations) env.io.out(`  attestation ${a.id}: ${a.evidence.map((e) => `${e.id} (${e.status})`).join(', ') || 'no evidence'}\n`);
    for (const d of s.gate.stores) if (d.store) env.io.out(`  data store ${d.store.label}: ${d.runId ?? 'no comparison'} (${d.status})\n`);
    for (const m of s.gate.missing) env.io.out(`  missing: ${m}\n`);
    for (const x of s.signers) {
      env.io.out(`  ${x.role.padEnd(8)}  ${x.signOff ? `${x.signOff.name}, ${x.signOff.signedAt}, ${custody(x.signOff)}${x.signOff.override ? ', WITH OVERRIDE' : ''}` : 'not signed'}\n`);
    }
  }
}

function printSigned(env: CliEnv, r: SignOffRecord, override: string | undefined): void {
  env.io.out(`${r.id}  ${r.name} (${r.role}) signed "${r.stepTitle}" at ${r.signedAt}\n`);
  env.io.out(`  report sha256 ${r.reportSha256}\n  key fingerprint ${r.fingerprint}${r.signer ? ` (enrolled as ${r.signer.enrolmentId})` : ''}\n`);
  if (r.override) env.io.out(`  OVERRIDE: ${r.override.justification}\n`);
  else if (override) env.io.err('note: the gate is met, so the override was not needed and is not recorded.\n');
}

/** `signoff request|sign|import|requests`: a sign-off asked of its signer, signed on their machine, brought back. */
function registerExchange(signoff: Command, env: CliEnv): void {
  // Commander gives an option the parent also declares (--role, --override, --step, --json) to the parent wherever it
  // stands: a subcommand reads its options from both.
  const opts = <T extends object>(o: T): T => ({ ...(signoff.opts() as Partial<T>), ...o });
  signoff
    .command('request')
    .description('write the file a signer signs: the statement, the report hash, the ledger head and the gate; send it to them')
    .argument('<incident>', 'incident id')
    .option('--role <role>', 'the role asked to sign: IR lead, CISO, Legal, or another the step names (required)')
    .requiredOption('--out <file>', 'where to write the request')
    .option('--step <id>', 'another sign-off step, e.g. residual-risk-sign-off')
    .option('--override <reason>', 'ask them to sign although the gate is not met; the reason is in the request and every report')
    .option('--json', 'print JSON')
    .action(async (id: string, given: { role?: string; out: string; step?: string; override?: string; json?: boolean }) => {
      const o = opts(given);
      const r = await env.call('signoff.request', { id, role: env.commandRole(o.role, 'signoff request'), ...(o.step ? { stepId: o.step } : {}), ...(o.override ? { override: o.override } : {}) });
      writeOutput(o.out, r.text);
      if (o.json) return env.json({ id: r.id, incidentId: r.incidentId, stepId: r.stepId, role: r.role, sha256: r.sha256, path: o.out });
      env.io.out(`${r.sha256}  ${o.out}\n`);
      env.io.err(
        `Request ${r.id}: ${r.role} to sign "${r.body.step.title}". Send ${o.out} to them; they sign it on their own machine with\n` +
          `  firebreak signoff sign ${basename(o.out)} --out ${basename(o.out)}.sig   or   ssh-keygen -Y sign -n firebreak-signoff -f KEY ${basename(o.out)}\n` +
          `and you import what they send back: firebreak signoff import ${id} ${basename(o.out)}.sig --request ${o.out}\n`,
      );
    });

  signoff
    .command('sign')
    .description("on the signer's machine: sign a request with your own key for its role (the key keys init made)")
    .argument('<request>', 'the request file')
    .requiredOption('--out <file>', 'where to write the signature (send it back)')
    .option('--name <name>', 'whose key, when this machine holds several for the role')
    .option('--json', 'print JSON')
    .action(async (file: string, given: { out: string; name?: string; json?: boolean }) => {
      const o = opts(given);
      const r = await env.call('signoff.signRequest', { request: readInput(file), requestName: file, ...(o.name ? { name: o.name } : {}) });
      writeOutput(o.out, r.signature);
      if (o.json) return env.json({ ...r, path: o.out });
      env.io.err(`You signed, as ${r.signer.name} (${r.role}), for ${r.incidentId}:\n  ${r.statement}\n`);
      env.io.out(`${r.signer.fingerprint}  ${o.out}\n`);
    });

  signoff
    .command('import')
    .description("record a signer's signature: it must hold over the request, with a key enrolled for its role, and the request must still be current (exit 1 saying what changed)")
    .argument('<incident>', 'incident id')
    .argument('<signature>', 'the .sig file the signer sent back')
    .option('--request <file>', 'the request it signs (default: the request of this incident it holds over)')
    .option('--json', 'print JSON')
    .action(async (id: string, sig: string, given: { request?: string; json?: boolean }) => {
      const o = opts(given);
      const r = await env.call('signoff.import', {
        id,
        signature: readInput(sig),
        signatureName: sig,
        ...(o.request ? { request: readInput(o.request), requestName: o.request } : {}),
      });
      if (o.json) return env.json(r);
      printSigned(env, r, undefined);
    });

  signoff
    .command('requests')
    .description('the requests made for an incident: open, signed, stale (with what changed) or closed')
    .argument('<incident>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (id: string, given: { json?: boolean }) => {
      const o = opts(given);
      const all = await env.call('signoff.requests', { id });
      if (o.json) return env.json(all);
      for (const r of all) {
        env.io.out(`${r.id}  ${r.role.padEnd(8)}  ${r.state.padEnd(6)}  ${r.requestedAt}  ${r.stepTitle}${r.signOffId ? `  ${r.signOffId}` : ''}\n`);
        for (const c of r.changes) env.io.out(`    ${c}\n`);
      }
    });
}

export function registerSignoffCommands(program: Command, env: CliEnv): void {
  const signoff = program
    .command('signoff')
    .description('sign a sign-off step yourself with your own enrolled key, or show its status; others sign by request (signoff request)')
    .argument('[incident]', 'incident id')
    .option('--role <role>', 'your role: IR lead, CISO, Legal, or another role the step names')
    .option('--name <name>', 'your name: you sign as yourself only')
    .option('--override <reason>', 'sign although the gate is not met; the reason is shown prominently in every report')
    .option('--step <id>', 'another sign-off step, e.g. residual-risk-sign-off')
    .option('--status', 'show who signed and what is missing, without signing')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, o: { role?: string; name?: string; override?: string; step?: string; status?: boolean; json?: boolean }) => {
      if (!id) throw new CliExit(EXIT.usage, 'firebreak: signoff needs an incident (or one of: request, sign, import, requests)');
      if (o.status) {
        const s = await env.call('signoff.status', { id });
        return o.json ? env.json(s) : printStatus(env, s);
      }
      // --role is also the program's option (the actor's role): for signoff both mean the signer's role.
      const role = o.role ?? env.globals().role;
      if (!role || !o.name) throw new CliExit(EXIT.usage, 'firebreak: signoff needs --role ROLE and --name NAME (or --status)');
      const r = await env.call('signoff.sign', { id, role, name: o.name, ...(o.override ? { override: o.override } : {}), ...(o.step ? { stepId: o.step } : {}) });
      if (o.json) return env.json(r);
      printSigned(env, r, o.override);
    });
  registerExchange(signoff, env);

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
      const s = await env.call('signoff.linkEvidence', { id, attestationId, itemId, unlink: Boolean(o.unlink), ...(o.step ? { stepId: o.step } : {}) });
      printStatus(env, s.filter((x) => !o.step || x.stepId === o.step).slice(0, 1));
    });
}
