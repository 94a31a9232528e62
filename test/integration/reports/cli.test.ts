import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerReportCommands } from '../../../electron/cli/commands/report';
import { registerSignerCommands } from '../../../electron/cli/commands/signers';
import { registerSignoffCommands } from '../../../electron/cli/commands/signoff';
import { FileKeyStore, keysDir } from '../../../electron/core/signers/key-store';
import { CliEnv, CliExit, type GlobalOptions } from '../../../electron/cli/env';
import { tempDir } from '../../helpers/temp';
import { addEvidence, backAttestations, newIncident, recordCompare, reportsCore } from '../../unit/reports/support';

/** Runs the commands as `firebreak` does (same global options), in-process; returns exit code and output. */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const holder: { program?: Command } = {};
  const cli = new CliEnv({ out: (t) => (stdout += t), err: (t) => (stderr += t) }, env, () => (holder.program?.opts() ?? {}) as GlobalOptions);
  const program = new Command('firebreak')
    .option('--data-dir <dir>')
    .option('--actor <name>')
    .option('--role <role>')
    .configureOutput({ writeOut: (t) => (stdout += t), writeErr: (t) => (stderr += t) });
  registerReportCommands(program, cli);
  registerSignoffCommands(program, cli);
  registerSignerCommands(program, cli);
  const override = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  holder.program = program;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (e instanceof CliExit) return { code: e.code, stdout, stderr: stderr + e.message };
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, stdout, stderr };
    throw e;
  } finally {
    cli.close();
  }
}

describe('firebreak report, bundle, verify, signoff, keys, signers, gap', () => {
  let dir: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;
  let id: string;

  beforeEach(async () => {
    dir = tempDir();
    env = { FIREBREAK_DATA_DIR: dir.path, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' };
    const rc = reportsCore(dir.path);
    id = await newIncident(rc.core);
    await addEvidence(rc.core, id, 'iam-snapshot.json', '{"Policies":["s3:*"]}');
    rc.close();
  });
  afterEach(() => dir.cleanup());

  /** keys init and signers add for Dana Reyes (IR lead), the operator, as she would run them. */
  async function enrolDana(): Promise<string> {
    const made = await run(['keys', 'init', '--name', 'Dana Reyes', '--role', 'IR lead'], env);
    expect(made.code, made.stderr).toBe(0);
    const [fingerprint, pub] = made.stdout.trim().split('  ') as [string, string];
    const added = await run(['signers', 'add', '--name', 'Dana Reyes', '--role', 'IR lead', '--public-key', pub], env);
    expect(added.code, added.stderr).toBe(0);
    return fingerprint;
  }

  it('signoff signs only as the operator (exit 1 for anyone else, saying how to ask), names what is missing, signs with --override', async () => {
    let r = await run(['signoff', id, '--role', 'CISO', '--name', 'Morgan Lee'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^firebreak: You are working as Dana Reyes: you cannot sign as Morgan Lee\. Only Morgan Lee signs as Morgan Lee, with their own key\.\n {2}To have Morgan Lee sign, send them a request: firebreak signoff request IR-\d{4}-\d{4} --role "CISO" --out request\.txt\n/);
    r = await run(['signoff', id, '--name', 'Morgan Lee'], { ...env, FIREBREAK_ROLE: 'CISO' });
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('signoff needs --role ROLE and --name NAME') });
    r = await run(['signoff', id, '--role', 'Intern', '--name', 'Kim'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Signers: IR lead, CISO, Legal');
    r = await run(['signoff', id, '--role', 'IR lead', '--name', 'Dana Reyes'], env);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('You hold no signing key for Dana Reyes (IR lead) on this machine.') });
    const fingerprint = await enrolDana();
    r = await run(['signoff', id, '--role', 'IR lead', '--name', 'Dana Reyes'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^firebreak: IR lead cannot sign "Written sign-off before the agent returns to production" for IR-\d{4}-\d{4}: the sign-off gate is not met\.\n {2}validation of \S+: no comparison/);
    expect(r.stderr).toContain('  attestation policy-peer-reviewed: no evidence linked');
    r = await run(['signoff', id, '--role', 'ir-lead', '--name', 'dana reyes', '--override', 'Validated outside Firebreak: DBA-2291'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^SO-000001 {2}Dana Reyes \(IR lead\) signed/);
    expect(r.stdout).toContain(`key fingerprint ${fingerprint} (enrolled as SG-000001)`);
    expect(r.stdout).toContain('OVERRIDE: Validated outside Firebreak: DBA-2291');
    r = await run(['signoff', id, '--status'], env);
    expect(r.stdout).toContain(`IR lead   Dana Reyes, ${r.stdout.match(/Dana Reyes, (\S+),/)?.[1]}, own key ${fingerprint}, WITH OVERRIDE`);
    expect(r.stdout).toContain('CISO      not signed');
  });

  it('attestation link, gap set/show, report to a file, bundle and verify', async () => {
    const rc = reportsCore(dir.path);
    await backAttestations(rc, id);
    recordCompare(rc.core, id, 'match', '2026-05-11T10:00:00Z');
    rc.close();
    let r = await run(['attestation', 'link', id, 'data-restored-and-validated', 'EV-000001'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('attestation data-restored-and-validated: EV-000001 (intact), EV-000002 (intact)');
    const signer = await enrolDana();
    r = await run(['signoff', id, '--role', 'IR lead', '--name', 'Dana Reyes'], env);
    expect(r.code, r.stderr).toBe(0);

    r = await run(['gap', 'set', id, 'ac-6', '--state', 'not-implemented', '--gap', 'rds:* on production'], env);
    expect(r).toMatchObject({ code: 0, stdout: 'AC-6: Not implemented\n' });
    expect(r.stderr).toContain('missing: AC-6: no owner');
    expect((await run(['gap', 'set', id, 'AC-6', '--owner', 'Cloud platform lead', '--due', '2026-05-31'], env)).code).toBe(0);
    r = await run(['gap', 'show', id], env);
    expect(r.stdout).toMatch(/AC-6 +Not implemented +Cloud platform lead by 2026-05-31 {2}Least Privilege\n {10}rds:\* on production\n/);
    r = await run(['gap', 'set', id, 'AC-6', '--state', 'broken'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('state:');

    const md = join(dir.path, 'gap.md');
    r = await run(['report', id, '--kind', 'gap', '--format', 'md', '--out', md, '--tlp', 'green'], env);
    expect(r.code).toBe(0);
    const bytes = readFileSync(md);
    expect(r.stdout).toBe(`${createHash('sha256').update(bytes).digest('hex')}  ${md}\n`);
    expect(bytes.toString('utf8')).toContain('**TLP:GREEN**');
    expect(r.stderr).toMatch(/^Content SHA-256 [0-9a-f]{64}; kept as evidence EV-\d{6}\n$/);
    r = await run(['report', id, '--kind', 'incident', '--format', 'oscal-poam', '--out', md], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('kind: OSCAL assessment results and POA&M are made from the gap analysis');
    r = await run(['report', id, '--kind', 'weekly', '--format', 'md', '--out', md], env);
    expect(r.code).toBe(2);

    const zip = join(dir.path, 'case.zip');
    r = await run(['bundle', id, '--out', zip, '--no-pdf'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${createHash('sha256').update(readFileSync(zip)).digest('hex')}  ${zip}\n`);
    r = await run(['verify', zip], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok {4}hashes {6}\d+ files match SHA256SUMS\n/);
    expect(r.stdout).toContain(`the case bundle of ${id} is intact.`);
    // The fingerprints to compare out of band: the exporter's (her own key, which also signed) and the signer's.
    const key = new FileKeyStore(keysDir(dir.path)).get({ name: 'Dana Reyes', role: 'IR lead' });
    expect(key?.sshPublicKey.fingerprint).toBe(signer);
    expect(r.stdout).toContain(`ok    exporter    SHA256SUMS signed by Dana Reyes (IR lead), key ${key?.fingerprint}\n`);
    expect(r.stdout).toContain(
      `ok    signatures  1 signature verified, each one the ledger recorded (1 with the signer's own key, checked against allowed_signers); compare each key out of band:\n                  SO-000001  Dana Reyes (IR lead)  ${signer}  own key enrolled as SG-000001 (dana-reyes@ir-lead)\n`,
    );
    const bad = join(dir.path, 'bad.zip');
    const { rewrite } = await import('./zip-tools');
    await rewrite(zip, bad, (p, b) => (p === 'evidence/manifest.json' ? Buffer.from(b.toString('utf8').replace('iam-snapshot', 'iam-snapsh0t')) : b));
    r = await run(['verify', bad], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}hashes/);
    expect(r.stderr).toContain('evidence/manifest.json: changed after the bundle was made');
  });
});
