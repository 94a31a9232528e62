import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runFirebreak } from '../../helpers/cli';
import { sshKeygenEd25519, sshKeygenSign } from '../../helpers/ssh-keygen';
import { tempDir } from '../../helpers/temp';
import { extract } from '../reports/zip-tools';

/**
 * Sign-off as an organisation does it, with the real `firebreak` command and stock OpenSSH: the operator's install,
 * the CISO's own install (keys init, signoff sign), and the legal counsel's ssh-keygen. Nothing but public keys,
 * requests and signatures travels between them.
 */
describe('firebreak keys, signers and signoff request|sign|import', () => {
  let dir: ReturnType<typeof tempDir>;
  const operator = () => join(dir.path, 'operator');
  const ciso = () => join(dir.path, 'ciso-machine');
  const fb = (dataDir: string, args: string[], who: { name: string; role: string } = { name: 'Dana Reyes', role: 'IR lead' }): Promise<CliRun> =>
    runFirebreak(['--data-dir', dataDir, ...args], { FIREBREAK_ACTOR: who.name, FIREBREAK_ROLE: who.role });
  const ok = async (r: Promise<CliRun>) => {
    const done = await r;
    expect(done.code, done.stderr).toBe(0);
    return done;
  };
  let id = '';
  let legal: ReturnType<typeof sshKeygenEd25519>;

  beforeAll(async () => {
    dir = tempDir();
    id = (await ok(fb(operator(), ['incident', 'new', '--playbook', 'agent-destructive-action', '--param', 'agent_role_name=deploy-agent']))).stdout.trim();
    legal = sshKeygenEd25519(dir.path, 'sam_ed25519', 'sam@counsel');
  }, 120_000);
  afterAll(() => dir.cleanup());

  it("makes the CISO's key on the CISO's machine only, enrols it by its .pub, and moves the signer list as allowed_signers", async () => {
    const made = await ok(fb(ciso(), ['keys', 'init', '--name', 'Priya Shah', '--role', 'CISO'], { name: 'Priya Shah', role: 'CISO' }));
    const [fingerprint, pub] = made.stdout.trim().split('  ') as [string, string];
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(pub).toBe(join(ciso(), 'keys', 'priya-shah@ciso.pub'));
    expect(made.stderr).toContain('read them the fingerprint above by phone or in person');
    expect(spawnSync('ssh-keygen', ['-lf', pub], { encoding: 'utf8' }).stdout).toContain(fingerprint);
    if (process.platform !== 'win32') {
      expect(statSync(join(ciso(), 'keys')).mode & 0o777).toBe(0o700);
      expect(statSync(join(ciso(), 'keys', 'priya-shah@ciso.key')).mode & 0o777).toBe(0o600);
    }

    // The operator enrols the CISO by public key and the legal counsel by their ssh-keygen key: no private key moves.
    const added = await ok(fb(operator(), ['signers', 'add', '--name', 'Priya Shah', '--role', 'CISO', '--public-key', pub]));
    expect(added.stdout).toBe(`SG-000001  Priya Shah (CISO)  ${fingerprint}  priya-shah@ciso\n`);
    await ok(fb(operator(), ['signers', 'add', '--name', 'Sam Ortiz', '--role', 'Legal', '--public-key', legal.publicPath]));
    expect((await fb(operator(), ['signers', 'add', '--name', 'Morgan Lee', '--role', 'CISO', '--public-key', pub])).code).toBe(2);
    const list = JSON.parse((await ok(fb(operator(), ['signers', 'list', '--json']))).stdout) as Array<{ id: string; enrolledBy: { name: string; role: string } }>;
    // The command's --role is the signer's: the operator's role on the record stays hers.
    expect(list.map((s) => [s.id, s.enrolledBy])).toEqual([
      ['SG-000001', { name: 'Dana Reyes', role: 'IR lead' }],
      ['SG-000002', { name: 'Dana Reyes', role: 'IR lead' }],
    ]);
    expect(existsSync(join(operator(), 'keys'))).toBe(false);

    const exported = join(dir.path, 'org-signers');
    expect((await ok(fb(operator(), ['signers', 'export', exported]))).stdout).toBe(`2 signers written to ${exported}\n`);
    // The CISO's install learns the list too; importing twice changes nothing.
    const imported = await ok(fb(ciso(), ['signers', 'import', exported], { name: 'Priya Shah', role: 'CISO' }));
    expect(imported.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect((await ok(fb(ciso(), ['signers', 'import', exported], { name: 'Priya Shah', role: 'CISO' }))).stderr).toContain('0 enrolled, 2 already enrolled');
    const bad = join(dir.path, 'bad-signers');
    writeFileSync(bad, readFileSync(exported, 'utf8').replace('priya-shah@ciso ', 'boss@ciso '));
    const refused = await fb(operator(), ['signers', 'import', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bad-signers:4: the principal boss@ciso is not priya-shah@ciso/);
  });

  it('asks each signer by request: signed in their own install or with ssh-keygen, imported; refusals exit 1 saying why', async () => {
    const override = 'Restore validated by the DBA team outside Firebreak; ticket DBA-2291';
    // Nobody signs for anyone else.
    const asOther = await fb(operator(), ['signoff', id, '--role', 'CISO', '--name', 'Priya Shah']);
    expect(asOther.code).toBe(1);
    expect(asOther.stderr).toContain(`firebreak signoff request ${id} --role "CISO" --out request.txt`);

    const cisoReq = join(dir.path, 'ciso-request.txt');
    const made = await ok(fb(operator(), ['signoff', 'request', id, '--role', 'CISO', '--override', override, '--out', cisoReq]));
    expect(made.stdout).toMatch(new RegExp(`^[0-9a-f]{64}  ${cisoReq}\\n$`));
    expect(readFileSync(cisoReq, 'utf8')).toContain('ssh-keygen -Y sign -n firebreak-signoff -f ~/.ssh/id_ed25519 THIS-FILE');
    const legalReq = join(dir.path, 'legal-request.txt');
    await ok(fb(operator(), ['signoff', 'request', id, '--role', 'Legal', '--override', override, '--out', legalReq]));

    // The CISO signs in their own install; a request for a role they hold no key for is refused there.
    const signed = await ok(fb(ciso(), ['signoff', 'sign', cisoReq, '--out', `${cisoReq}.sig`], { name: 'Priya Shah', role: 'CISO' }));
    expect(signed.stderr).toMatch(/^You signed, as Priya Shah \(CISO\), for IR-\d{4}-\d{4}:\n {2}I, signing as CISO with my enrolled key, attest that:/);
    expect((await fb(ciso(), ['signoff', 'sign', legalReq, '--out', join(dir.path, 'x.sig')], { name: 'Priya Shah', role: 'CISO' })).code).toBe(1);

    // Signed by the wrong person for the role: the legal counsel's key over the CISO's request.
    const wrong = join(dir.path, 'wrong.txt');
    writeFileSync(wrong, readFileSync(cisoReq));
    sshKeygenSign(legal.privatePath, wrong, 'firebreak-signoff');
    const notCiso = await fb(operator(), ['signoff', 'import', id, `${wrong}.sig`, '--request', cisoReq]);
    expect(notCiso).toMatchObject({ code: 1, stderr: expect.stringMatching(/is enrolled for Sam Ortiz as Legal \(SG-000002\), not for CISO/) });

    // Imported without --request: the request it signs is found among the incident's.
    const imported = await ok(fb(operator(), ['signoff', 'import', id, `${cisoReq}.sig`]));
    expect(imported.stdout).toMatch(/^SO-000001 {2}Priya Shah \(CISO\) signed "Written sign-off before the agent returns to production"/);

    // Legal signs with stock OpenSSH; a request changed after it was made is refused.
    sshKeygenSign(legal.privatePath, legalReq, 'firebreak-signoff');
    const tampered = join(dir.path, 'tampered.txt');
    writeFileSync(tampered, readFileSync(legalReq, 'utf8').replace('attest that', 'attest, maybe, that'));
    expect((await fb(operator(), ['signoff', 'import', id, `${legalReq}.sig`, '--request', tampered])).code).not.toBe(0);

    // Something changes in the incident: the pending request is stale and says what changed.
    const note = join(dir.path, 'late.txt');
    writeFileSync(note, 'found later\n');
    await ok(fb(operator(), ['evidence', 'add', id, note]));
    const stale = await fb(operator(), ['signoff', 'import', id, `${legalReq}.sig`, '--request', legalReq]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/is out of date: the incident changed since it was made/);
    expect(stale.stderr).toMatch(/evidence\.acquired \(EV-\d{6}\) by Dana Reyes/);
    const requests = await ok(fb(operator(), ['signoff', 'requests', id]));
    expect(requests.stdout).toMatch(/SR-000002 {2}Legal +stale/);

    const again = join(dir.path, 'legal-request-2.txt');
    await ok(fb(operator(), ['signoff', 'request', id, '--role', 'Legal', '--override', override, '--out', again]));
    sshKeygenSign(legal.privatePath, again, 'firebreak-signoff');
    await ok(fb(operator(), ['signoff', 'import', id, `${again}.sig`, '--request', again]));

    const status = await ok(fb(operator(), ['signoff', id, '--status']));
    expect(status.stdout).toMatch(/CISO {6}Priya Shah, \S+, own key SHA256:\S+, WITH OVERRIDE/);
    expect(status.stdout).toMatch(/Legal {5}Sam Ortiz, \S+, own key SHA256:\S+, WITH OVERRIDE/);
  });

  it('bundles the requests, signatures and allowed_signers so a reviewer checks each with ssh-keygen alone', async () => {
    const zip = join(dir.path, 'case.zip');
    await ok(fb(operator(), ['bundle', id, '--out', zip, '--no-pdf']));
    const verified = await ok(fb(operator(), ['verify', zip]));
    expect(verified.stdout).toContain("(2 with the signer's own key, checked against allowed_signers)");
    const out = join(dir.path, 'review');
    await extract(zip, out);
    const root = join(out, `${id}-case-bundle`);
    const folders = readdirSync(join(root, 'signoffs'));
    expect(folders).toEqual(['SO-000001', 'SO-000002']);
    for (const [so, principal] of [
      ['SO-000001', 'priya-shah@ciso'],
      ['SO-000002', 'sam-ortiz@legal'],
    ] as const) {
      const r = spawnSync('bash', ['-c', `ssh-keygen -Y verify -f allowed_signers -I ${principal} -n firebreak-signoff -s signoffs/${so}/request.txt.sig < signoffs/${so}/request.txt`], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Good "firebreak-signoff" signature for ${principal} with ED25519 key SHA256:`);
    }
    // The CISO's signature does not pass as the legal counsel's.
    const cross = spawnSync('bash', ['-c', 'ssh-keygen -Y verify -f allowed_signers -I sam-ortiz@legal -n firebreak-signoff -s signoffs/SO-000001/request.txt.sig < signoffs/SO-000001/request.txt'], { cwd: root, encoding: 'utf8' });
    expect(cross.status).not.toBe(0);
    expect(readFileSync(join(root, 'VERIFY.txt'), 'utf8')).toContain('ssh-keygen -Y verify -f allowed_signers -I priya-shah@ciso -n firebreak-signoff -s signoffs/SO-000001/request.txt.sig < signoffs/SO-000001/request.txt');
  });
});
