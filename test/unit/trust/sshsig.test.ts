import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sshPublicKeyFromKeyObject } from '../../../electron/core/trust/ssh-public-key';
import {
  SIGNOFF_NAMESPACE,
  SK_USER_PRESENT,
  SK_USER_VERIFIED,
  armorSshSignature,
  encodeSshSignature,
  parseSshSignature,
  signSshsig,
  verifySshsig,
} from '../../../electron/core/trust/sshsig';
import { sshString, sshUint32 } from '../../../electron/core/trust/ssh-wire';
import { fakeSecurityKey } from '../../helpers/ssh-keygen';

const message = Buffer.from('{"statement":"All affected data stores have been restored and integrity-validated."}\n');
const ed25519 = () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: sshPublicKeyFromKeyObject(privateKey) };
};

describe('SSHSIG with Firebreak\'s own Ed25519 keys', () => {
  it('signs in the armored format, sha512 by default, and verifies', () => {
    const k = ed25519();
    const armored = signSshsig(message, k.privateKey, SIGNOFF_NAMESPACE);
    expect(armored).toMatch(/^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=]{1,70}\n)+-----END SSH SIGNATURE-----\n$/);
    const parsed = parseSshSignature(armored);
    expect(parsed).toMatchObject({ namespace: SIGNOFF_NAMESPACE, hashAlgorithm: 'sha512', sk: null });
    expect(parsed.key.fingerprint).toBe(k.publicKey.fingerprint);
    expect(encodeSshSignature(parsed).equals(Buffer.from(armored.split('\n').slice(1, -2).join(''), 'base64'))).toBe(true);
    expect(verifySshsig(armored, message, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey })).toEqual({
      valid: true,
      fingerprint: k.publicKey.fingerprint,
      namespace: SIGNOFF_NAMESPACE,
      hashAlgorithm: 'sha512',
      sk: null,
    });
  });

  it('verifies sha256 signatures too', () => {
    const k = ed25519();
    const armored = signSshsig(message, k.privateKey, SIGNOFF_NAMESPACE, 'sha256');
    expect(verifySshsig(armored, message, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey })).toMatchObject({ valid: true, hashAlgorithm: 'sha256' });
  });

  it('fails a wrong namespace, an altered message and another key, saying which', () => {
    const k = ed25519();
    const other = ed25519();
    const armored = signSshsig(message, k.privateKey, 'git');
    expect(verifySshsig(armored, message, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey })).toEqual({
      valid: false,
      fingerprint: k.publicKey.fingerprint,
      reason: 'the signature is for the namespace "git", not "firebreak-signoff"',
    });
    const good = signSshsig(message, k.privateKey, SIGNOFF_NAMESPACE);
    const altered = Buffer.from(message);
    altered.writeUInt8(altered.readUInt8(3) ^ 1, 3);
    expect(verifySshsig(good, altered, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey })).toMatchObject({ valid: false, reason: expect.stringMatching(/does not match the message/) });
    expect(verifySshsig(good, message, { namespace: SIGNOFF_NAMESPACE, key: other.publicKey })).toMatchObject({
      valid: false,
      reason: `the signature was made by the key ${k.publicKey.fingerprint}, not by the expected key ${other.publicKey.fingerprint}`,
    });
    // A signature blob re-signed by another key but claiming the first key's identity fails on the signature itself.
    const forged = parseSshSignature(signSshsig(message, other.privateKey, SIGNOFF_NAMESPACE));
    expect(verifySshsig({ ...forged, key: k.publicKey }, message, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey })).toMatchObject({ valid: false });
  });

  it('refuses hash algorithms ssh-keygen does not verify', () => {
    const k = ed25519();
    const sig = parseSshSignature(signSshsig(message, k.privateKey, SIGNOFF_NAMESPACE));
    expect(verifySshsig({ ...sig, hashAlgorithm: 'sha1' }, message, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey })).toMatchObject({
      valid: false,
      reason: 'the signature uses the hash algorithm "sha1"; accepted are sha512, sha256',
    });
  });

  it('signs through a signer that keeps its private key to itself, and refuses one that holds another key', () => {
    const k = ed25519();
    const other = ed25519();
    const signer = { publicKey: k.publicKey, sign: (data: Buffer) => sign(null, data, k.privateKey) };
    expect(signSshsig(message, signer, SIGNOFF_NAMESPACE)).toBe(signSshsig(message, k.privateKey, SIGNOFF_NAMESPACE));
    expect(() => signSshsig(message, { publicKey: other.publicKey, sign: signer.sign }, SIGNOFF_NAMESPACE)).toThrow(
      `The signer's signature does not verify under its public key ${other.publicKey.fingerprint}; it holds another key.`,
    );
    expect(() => signSshsig(message, { publicKey: k.publicKey, sign: () => Buffer.alloc(10) }, SIGNOFF_NAMESPACE)).toThrow(/does not verify/);
    const sk = fakeSecurityKey(k.privateKey);
    expect(() => signSshsig(message, { publicKey: sk.publicKey, sign: signer.sign }, SIGNOFF_NAMESPACE)).toThrow(/a sk-ssh-ed25519@openssh.com key signs with its own device/);
  });

  it('refuses to sign with a non-Ed25519 key or a blank namespace', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signSshsig(message, privateKey, SIGNOFF_NAMESPACE)).toThrow(/Ed25519 private key/);
    expect(() => signSshsig(message, ed25519().privateKey, '')).toThrow(/namespace "" must be non-empty/);
    expect(() => signSshsig(message, generateKeyPairSync('ed25519').publicKey, SIGNOFF_NAMESPACE)).toThrow(/Ed25519 private key/);
  });
});

describe('malformed armor is refused with what is wrong', () => {
  const k = ed25519();
  const good = signSshsig(message, k.privateKey, SIGNOFF_NAMESPACE);
  const body = good.split('\n').slice(1, -2);
  const blob = Buffer.from(body.join(''), 'base64');
  const rearmor = (b: Buffer) => armorSshSignature(b);

  it.each([
    ['', /does not start with "-----BEGIN SSH SIGNATURE-----"/],
    ['-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n', /does not start with "-----BEGIN SSH SIGNATURE-----"/],
    [good.replace('-----END SSH SIGNATURE-----\n', ''), /no "-----END SSH SIGNATURE-----" line; it may be cut short/],
    [`${good}trailing words\n`, /text after its "-----END SSH SIGNATURE-----" line/],
    [good.replace(body[1] as string, `${(body[1] as string).slice(0, 10)}!${(body[1] as string).slice(11)}`), /line 3 is not base64/],
    ['-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n', /empty between its BEGIN and END lines/],
    ['-----BEGIN SSH SIGNATURE-----\nQUJD\n-----END SSH SIGNATURE-----\n', /not an SSHSIG signature/],
    [rearmor(blob.subarray(0, blob.length - 10)), /truncated: its signature needs/],
    [rearmor(Buffer.concat([blob, Buffer.of(0)])), /1 unexpected bytes after its last field/],
    [rearmor(Buffer.concat([Buffer.from('SSHSIG'), sshUint32(2), blob.subarray(10)])), /SSHSIG version 2; Firebreak reads version 1/],
  ])('%#', (text, reason) => {
    expect(() => parseSshSignature(text, 'REQ.sig')).toThrow(reason);
    expect(() => verifySshsig(text, message, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey })).toThrow(reason);
  });

  it('reads armor with CRLF line ends and surrounding blank lines, as an editor may save it', () => {
    const crlf = `\n${good.replace(/\n/g, '\r\n')}\n`;
    expect(verifySshsig(crlf, message, { namespace: SIGNOFF_NAMESPACE, key: k.publicKey }).valid).toBe(true);
  });

  it('names a signature value that does not belong to its key', () => {
    const p = parseSshSignature(good);
    const mixed = Buffer.concat([
      Buffer.from('SSHSIG'),
      sshUint32(1),
      sshString(p.key.blob),
      sshString(SIGNOFF_NAMESPACE),
      sshString(''),
      sshString('sha512'),
      sshString(Buffer.concat([sshString('sk-ssh-ed25519@openssh.com'), sshString(p.signature), Buffer.of(1), sshUint32(1)])),
    ]);
    expect(() => parseSshSignature(armorSshSignature(mixed))).toThrow(/carries a sk-ssh-ed25519@openssh.com signature from a ssh-ed25519 key/);
  });
});

describe('SSHSIG from FIDO2 security keys (sk-ssh-ed25519@openssh.com)', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const sk = fakeSecurityKey(privateKey);
  const expect_ = { namespace: SIGNOFF_NAMESPACE, key: sk.publicKey };

  it('verifies a touched signature and reports its flags and counter', () => {
    const armored = sk.sign(message, SIGNOFF_NAMESPACE, { flags: SK_USER_PRESENT | SK_USER_VERIFIED, counter: 41 });
    expect(verifySshsig(armored, message, expect_)).toEqual({
      valid: true,
      fingerprint: sk.publicKey.fingerprint,
      namespace: SIGNOFF_NAMESPACE,
      hashAlgorithm: 'sha512',
      sk: { userPresent: true, userVerified: true, counter: 41 },
    });
    expect(verifySshsig(sk.sign(message, SIGNOFF_NAMESPACE, { flags: SK_USER_PRESENT, counter: 42 }, 'sha256'), message, expect_)).toMatchObject({
      valid: true,
      sk: { userPresent: true, userVerified: false, counter: 42 },
    });
  });

  it('refuses a signature made without a touch unless told not to require one', () => {
    const untouched = sk.sign(message, SIGNOFF_NAMESPACE, { flags: 0, counter: 5 });
    expect(verifySshsig(untouched, message, expect_)).toMatchObject({ valid: false, reason: expect.stringMatching(/without the user touching it/) });
    expect(verifySshsig(untouched, message, { ...expect_, requireUserPresence: false })).toMatchObject({ valid: true, sk: { userPresent: false } });
  });

  it('fails when the flags or counter were changed after signing: they are signed too', () => {
    const sig = parseSshSignature(sk.sign(message, SIGNOFF_NAMESPACE, { flags: 0, counter: 5 }));
    expect(verifySshsig({ ...sig, sk: { flags: SK_USER_PRESENT, counter: 5 } }, message, expect_)).toMatchObject({ valid: false, reason: expect.stringMatching(/flags or counter/) });
    expect(verifySshsig({ ...sig, sk: { flags: 0, counter: 6 } }, message, { ...expect_, requireUserPresence: false })).toMatchObject({ valid: false });
  });

  it('binds the application: a signature for another application does not verify under this key', () => {
    const elsewhere = fakeSecurityKey(privateKey, 'ssh:elsewhere');
    const sig = parseSshSignature(elsewhere.sign(message, SIGNOFF_NAMESPACE, { flags: SK_USER_PRESENT, counter: 1 }));
    // Claimed as the "ssh:" key, the application hash it signed no longer matches.
    expect(verifySshsig({ ...sig, key: sk.publicKey }, message, expect_)).toMatchObject({ valid: false, reason: expect.stringMatching(/application/) });
    // Under its own key it is a different key altogether.
    expect(verifySshsig(sig, message, expect_)).toMatchObject({ valid: false, reason: expect.stringMatching(/not by the expected key/) });
  });

  it('fails on an altered message and a wrong namespace', () => {
    const armored = sk.sign(message, SIGNOFF_NAMESPACE, { flags: SK_USER_PRESENT, counter: 9 });
    expect(verifySshsig(armored, Buffer.concat([message, Buffer.from(' ')]), expect_).valid).toBe(false);
    expect(verifySshsig(armored, message, { ...expect_, namespace: 'file' }).valid).toBe(false);
  });
});
