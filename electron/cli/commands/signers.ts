import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { OwnKey, Signer } from '../../shared/signers';
import type { CliEnv } from '../env';
import { readInput, writeOutput } from '../files';

const signerLine = (s: Signer) =>
  `${s.id}  ${s.name} (${s.role})  ${s.fingerprint}  ${s.principal}${s.sample ? '  SAMPLE' : ''}${s.revoked ? `  REVOKED ${s.revoked.at}: ${s.revoked.reason}` : ''}\n`;

const ownKeyLine = (k: OwnKey) => `${k.fingerprint}  ${k.publicKeyPath}  ${k.name} (${k.role})${k.enrolment ? `  enrolled as ${k.enrolment.id}` : '  not enrolled here'}\n`;

/** `keys init|list`: the operator's own keys, made on this machine. */
function registerKeys(program: Command, env: CliEnv): void {
  const keys = program.command('keys').description("your own signing keys, made on this machine; Firebreak makes none for anyone else");
  keys
    .command('init')
    .description('make your Ed25519 signing key for a name and role (kept if you have one); prints its fingerprint and the path of its .pub')
    .requiredOption('--name <name>', 'your name, as it will be enrolled')
    .option('--role <role>', 'the role you sign as: IR lead, CISO, Legal, ... (required)')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; role?: string; json?: boolean }) => {
      const k = await env.call('keys.init', { name: o.name, role: env.commandRole(o.role, 'keys init') });
      if (o.json) return env.json(k);
      env.io.out(`${k.fingerprint}  ${k.publicKeyPath}\n`);
      env.io.err(
        `${k.created ? 'Made' : 'You already have'} the signing key of ${k.name} (${k.role}); its private key stays in ${basename(k.publicKeyPath, '.pub')}.key (${k.protection}).\n` +
          `Give ${k.publicKeyPath} to whoever enrols signers (firebreak signers add --name "${k.name}" --role "${k.role}" --public-key FILE),\n` +
          'and read them the fingerprint above by phone or in person so they can check it.\n',
      );
    });
  keys
    .command('list')
    .description('your keys on this machine, with their fingerprints and enrolments')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const all = await env.call('keys.list', {});
      if (o.json) return env.json(all);
      if (all.length === 0) env.io.err('No keys here. Make yours with: firebreak keys init --name NAME --role ROLE\n');
      for (const k of all) env.io.out(ownKeyLine(k));
    });
}

/** `signers add|list|export|import|revoke`: who may sign, by public key, in the ledger. */
function registerSigners(program: Command, env: CliEnv): void {
  const signers = program.command('signers').description('the enrolled signers: whose public key may sign sign-offs in which role');
  signers
    .command('add')
    .description('enrol a signer by their OpenSSH public key (ssh-ed25519 or sk-ssh-ed25519@openssh.com, or the .pub keys init wrote)')
    .requiredOption('--name <name>', "the signer's name")
    .option('--role <role>', 'the role they sign as (required)')
    .requiredOption('--public-key <file>', 'their .pub file')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; role?: string; publicKey: string; json?: boolean }) => {
      const role = env.commandRole(o.role, 'signers add');
      const s = await env.call('signers.add', { name: o.name, role, publicKey: readInput(o.publicKey), source: o.publicKey });
      if (o.json) return env.json(s);
      env.io.out(signerLine(s));
      env.io.err(`Enrolled. Check the fingerprint with ${s.name} out of band (in person or by phone): it is what reviewers will compare.\n`);
    });
  signers
    .command('list')
    .description('the enrolled signers')
    .option('--all', 'revoked enrolments too')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const all = await env.call('signers.list', { includeRevoked: Boolean(o.all) });
      if (o.json) return env.json(all);
      if (all.length === 0) env.io.err('No signers are enrolled. Enrol one with: firebreak signers add --name NAME --role ROLE --public-key FILE\n');
      for (const s of all) env.io.out(signerLine(s));
    });
  signers
    .command('export')
    .description('write the enrolled signers as an OpenSSH allowed_signers file (for ssh-keygen -Y verify, and for signers import elsewhere)')
    .argument('<file>', 'where to write it')
    .action(async (file: string) => {
      const r = await env.call('signers.export', {});
      writeOutput(file, r.text);
      env.io.out(`${r.signers} signer${r.signers === 1 ? '' : 's'} written to ${file}\n`);
    });
  signers
    .command('import')
    .description('enrol every signer of an allowed_signers file Firebreak wrote; nothing is enrolled if any line cannot be (each named FILE:LINE)')
    .argument('<file>', 'the allowed_signers file')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = await env.call('signers.import', { text: readInput(file), source: basename(resolve(file)) });
      if (o.json) return env.json(r);
      for (const s of r.enrolled) env.io.out(signerLine(s));
      env.io.err(`${r.enrolled.length} enrolled${r.unchanged.length ? `, ${r.unchanged.length} already enrolled (${r.unchanged.map((u) => `line ${u.line}: ${u.id}`).join(', ')})` : ''}.\n`);
    });
  signers
    .command('revoke')
    .description('end an enrolment: its key signs nothing from now on; what it signed stays verifiable')
    .argument('<id>', 'the enrolment, e.g. SG-000002')
    .requiredOption('--reason <text>', 'why, for the record')
    .action(async (id: string, o: { reason: string }) => {
      env.io.out(signerLine(await env.call('signers.revoke', { id, reason: o.reason })));
    });
}

export function registerSignerCommands(program: Command, env: CliEnv): void {
  registerKeys(program, env);
  registerSigners(program, env);
}
