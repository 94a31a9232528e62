import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAllowedSigners, formatAllowedSigners, parseAllowedSigners, signerPrincipal } from '../../../electron/core/trust/allowed-signers';
import { SK_SSH_ED25519, formatSshPublicKey, parseSshPublicKey, sshPublicKeyFromKeyObject } from '../../../electron/core/trust/ssh-public-key';
import { SIGNOFF_NAMESPACE, SK_USER_PRESENT, signSshsig, verifySshsig } from '../../../electron/core/trust/sshsig';
import { sshString } from '../../../electron/core/trust/ssh-wire';
import { fakeSecurityKey, keygenFingerprint, readOpenSshEd25519PrivateKey, sshKeygen, sshKeygenEd25519, sshKeygenSign } from '../../helpers/ssh-keygen';
import { tempDir } from '../../helpers/temp';

/** Real OpenSSH (apt openssh-client) on both sides of every check. */
describe('OpenSSH interoperability', () => {
  let dir: ReturnType<typeof tempDir>;
  const request = Buffer.from('Firebreak sign-off request\nincident IR-2026-0002\nrole CISO\nledger 41 9f2c…\n');
  let reqPath: string;
  beforeAll(() => {
    dir = tempDir('firebreak-trust-');
    reqPath = join(dir.path, 'REQ');
    writeFileSync(reqPath, request);
  });
  afterAll(() => dir.cleanup());

  const file = (name: string, text: string | Buffer) => {
    const p = join(dir.path, name);
    writeFileSync(p, text);
    return p;
  };
  const keygenVerify = (allowed: string, principal: string, sigPath: string, namespace = SIGNOFF_NAMESPACE) =>
    sshKeygen(['-Y', 'verify', '-f', allowed, '-I', principal, '-n', namespace, '-s', sigPath], { input: request });

  it('reads keys ssh-keygen makes, with the fingerprint ssh-keygen -lf prints', () => {
    for (const n of [1, 2, 3]) {
      const k = sshKeygenEd25519(dir.path, `id_${n}`, `signer ${n}@example`);
      const key = parseSshPublicKey(readFileSync(k.publicPath, 'utf8'), k.publicPath);
      expect(key.fingerprint).toBe(keygenFingerprint(k.publicPath).fingerprint);
      expect(key.comment).toBe(`signer ${n}@example`);
      expect(formatSshPublicKey(key)).toBe(k.line);
    }
  });

  it('writes Firebreak\'s own Ed25519 key as a line ssh-keygen reads, with the same fingerprint', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const key = sshPublicKeyFromKeyObject(publicKey, 'Priya Shah (CISO)');
    const p = file('firebreak.pub', `${formatSshPublicKey(key)}\n`);
    const printed = keygenFingerprint(p);
    expect(printed.fingerprint).toBe(key.fingerprint);
    expect(printed.line).toMatch(/^256 SHA256:\S+ Priya Shah \(CISO\) \(ED25519\)$/);
  });

  it('reads a security key line built by hand from the wire format, as ssh-keygen does', () => {
    // A fixed known key: 32 bytes 0x01..0x20, application "ssh:".
    const raw = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1));
    const blob = Buffer.concat([sshString(SK_SSH_ED25519), sshString(raw), sshString('ssh:')]);
    const line = `${SK_SSH_ED25519} ${blob.toString('base64')} fido2-key`;
    const key = parseSshPublicKey(line);
    expect(key.application).toBe('ssh:');
    const printed = keygenFingerprint(file('sk.pub', `${line}\n`));
    expect(printed.line).toBe(`256 ${key.fingerprint} fido2-key (ED25519-SK)`);
  });

  it('verifies a signature made by ssh-keygen -Y sign, sha512 and sha256', () => {
    const k = sshKeygenEd25519(dir.path, 'ciso');
    const key = parseSshPublicKey(k.line);
    for (const hash of ['sha512', 'sha256']) {
      const armored = sshKeygenSign(k.privatePath, reqPath, SIGNOFF_NAMESPACE, ['-O', `hashalg=${hash}`]);
      expect(verifySshsig(armored, request, { namespace: SIGNOFF_NAMESPACE, key })).toMatchObject({ valid: true, hashAlgorithm: hash, fingerprint: key.fingerprint });
      expect(verifySshsig(armored, Buffer.concat([request, Buffer.from('x')]), { namespace: SIGNOFF_NAMESPACE, key }).valid).toBe(false);
      expect(verifySshsig(armored, request, { namespace: 'git', key }).valid).toBe(false);
      expect(verifySshsig(armored, request, { namespace: SIGNOFF_NAMESPACE, key: parseSshPublicKey(sshKeygenEd25519(dir.path, `other-${hash}`).line) }).valid).toBe(false);
    }
  });

  it('signs byte for byte what ssh-keygen -Y sign writes with the same key (Ed25519 is deterministic)', () => {
    const k = sshKeygenEd25519(dir.path, 'det');
    const privateKey = readOpenSshEd25519PrivateKey(k.privatePath);
    expect(sshPublicKeyFromKeyObject(privateKey).fingerprint).toBe(keygenFingerprint(k.publicPath).fingerprint);
    expect(signSshsig(request, privateKey, SIGNOFF_NAMESPACE)).toBe(sshKeygenSign(k.privatePath, reqPath, SIGNOFF_NAMESPACE));
    expect(signSshsig(request, privateKey, SIGNOFF_NAMESPACE, 'sha256')).toBe(sshKeygenSign(k.privatePath, reqPath, SIGNOFF_NAMESPACE, ['-O', 'hashalg=sha256']));
  });

  it('ssh-keygen -Y verify accepts our signature against the allowed_signers file we write, and nothing else', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const legal = sshKeygenEd25519(dir.path, 'legal');
    const key = sshPublicKeyFromKeyObject(privateKey);
    const allowed = file(
      'allowed_signers',
      formatAllowedSigners([
        { key, enrolment: { name: 'Priya Shah', role: 'CISO', enrolledBy: 'Dana Reyes', enrolledAt: '2026-03-02T09:15:00Z' } },
        { key: parseSshPublicKey(legal.line), enrolment: { name: 'Sam Ortiz', role: 'Legal' } },
      ]),
    );
    const sigPath = file('ours.sig', signSshsig(request, privateKey, SIGNOFF_NAMESPACE));
    const principal = signerPrincipal('Priya Shah', 'CISO');
    expect(principal).toBe('priya-shah@ciso');

    const good = keygenVerify(allowed, principal, sigPath);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain(`Good "${SIGNOFF_NAMESPACE}" signature for priya-shah@ciso with ED25519 key ${key.fingerprint}`);
    // Another principal (the same person in another role, or another signer) is refused by the stock tool too.
    expect(keygenVerify(allowed, 'priya-shah@legal', sigPath).status).not.toBe(0);
    expect(keygenVerify(allowed, 'sam-ortiz@legal', sigPath).status).not.toBe(0);
    // The line is bound to the firebreak-signoff namespace: a signature for another purpose is refused.
    const gitSig = file('git.sig', signSshsig(request, privateKey, 'git'));
    expect(keygenVerify(allowed, principal, gitSig, 'git').status).not.toBe(0);

    const found = sshKeygen(['-Y', 'find-principals', '-f', allowed, '-s', sigPath]);
    expect(found.stdout.trim()).toBe(principal);
    // Our reading of the file agrees.
    const signers = parseAllowedSigners(readFileSync(allowed, 'utf8'), allowed);
    expect(findAllowedSigners(signers, key, SIGNOFF_NAMESPACE).map((s) => [s.principals, s.enrolment])).toEqual([
      [['priya-shah@ciso'], { name: 'Priya Shah', role: 'CISO', enrolledBy: 'Dana Reyes', enrolledAt: '2026-03-02T09:15:00Z' }],
    ]);
  });

  it('ssh-keygen -Y verify accepts a security key signature in the form we verify, touched or not', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const sk = fakeSecurityKey(privateKey);
    const allowed = file('allowed_sk', formatAllowedSigners([{ key: sk.publicKey, enrolment: { name: 'Lee Park', role: 'IR lead' } }]));
    const touched = file('sk.sig', sk.sign(request, SIGNOFF_NAMESPACE, { flags: SK_USER_PRESENT, counter: 12 }));
    const r = keygenVerify(allowed, 'lee-park@ir-lead', touched);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`with ED25519-SK key ${sk.publicKey.fingerprint}`);
    expect(verifySshsig(readFileSync(touched, 'utf8'), request, { namespace: SIGNOFF_NAMESPACE, key: sk.publicKey })).toMatchObject({ valid: true, sk: { counter: 12 } });
    // ssh-keygen does not look at the touch flag; Firebreak does, so an untouched signature is ours to refuse.
    const untouched = file('sk0.sig', sk.sign(request, SIGNOFF_NAMESPACE, { flags: 0, counter: 13 }));
    expect(keygenVerify(allowed, 'lee-park@ir-lead', untouched).status).toBe(0);
    expect(verifySshsig(readFileSync(untouched, 'utf8'), request, { namespace: SIGNOFF_NAMESPACE, key: sk.publicKey }).valid).toBe(false);
  });

  it('agrees with ssh-keygen on valid-after and valid-before', () => {
    const k = sshKeygenEd25519(dir.path, 'dated');
    const key = parseSshPublicKey(k.line);
    const sigPath = file('dated.sig', sshKeygenSign(k.privatePath, reqPath, SIGNOFF_NAMESPACE));
    const allowed = file('allowed_dated', `p valid-after="20200101Z",valid-before="20200301Z" ${formatSshPublicKey(key, '')}\n`);
    const signers = parseAllowedSigners(readFileSync(allowed, 'utf8'));
    for (const [verifyTime, at, ok] of [
      ['20200201Z', '2020-02-01T00:00:00Z', true],
      ['20191231Z', '2019-12-31T00:00:00Z', false],
      ['20200302Z', '2020-03-02T00:00:00Z', false],
    ] as const) {
      const r = sshKeygen(['-Y', 'verify', '-f', allowed, '-I', 'p', '-n', SIGNOFF_NAMESPACE, '-O', `verify-time=${verifyTime}`, '-s', sigPath], { input: request });
      expect(r.status === 0, `${verifyTime}: ${r.stderr}`).toBe(ok);
      expect(findAllowedSigners(signers, key, SIGNOFF_NAMESPACE, new Date(at)).length === 1).toBe(ok);
    }
  });

  it('why principals are slugs: ssh-keygen splits a quoted display name at its commas', () => {
    const k = sshKeygenEd25519(dir.path, 'quoted');
    const key = k.line.split(' ').slice(0, 2).join(' ');
    const sigPath = file('quoted.sig', sshKeygenSign(k.privatePath, reqPath, SIGNOFF_NAMESPACE));
    const spaced = file('allowed_spaced', `"Priya Shah" ${key}\n`);
    expect(keygenVerify(spaced, 'Priya Shah', sigPath).status).toBe(0);
    expect(parseAllowedSigners(readFileSync(spaced, 'utf8'))[0]?.principals).toEqual(['Priya Shah']);
    const comma = file('allowed_comma', `"Shah, Priya" ${key}\n`);
    expect(keygenVerify(comma, 'Shah, Priya', sigPath).status).not.toBe(0);
    expect(keygenVerify(comma, ' Priya', sigPath).status).toBe(0);
    expect(parseAllowedSigners(readFileSync(comma, 'utf8'))[0]?.principals).toEqual(['Shah', ' Priya']);
  });
});
