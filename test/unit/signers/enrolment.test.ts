import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAllowedSigners } from '../../../electron/core/trust/allowed-signers';
import { formatSshPublicKey, sshPublicKeyFromKeyObject } from '../../../electron/core/trust/ssh-public-key';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { KeyInitResult, OwnKey, Signer, SignerExport, SignerImport } from '../../../electron/shared/signers';
import { call } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { fakeSecurityKey } from '../../helpers/ssh-keygen';
import { signerMachine } from '../../helpers/signers';
import { tempDir } from '../../helpers/temp';

const keyLine = (comment = 'someone') => formatSshPublicKey(sshPublicKeyFromKeyObject(generateKeyPairSync('ed25519').privateKey, comment));

describe('signers', () => {
  const t = perTest(async () => {
    const { openIncident } = await import('../../helpers/incident');
    const f = await openIncident({ at: '2026-05-12T14:00:00Z' });
    const machines = tempDir('firebreak-machines-');
    return { ...f, machines: machines.path, close: () => (f.close(), machines.cleanup()) };
  });
  const fails = async (method: string, input: unknown) => {
    const r = await t.core.call(method, input);
    if (r.ok) throw new Error(`${method} succeeded`);
    return r.error;
  };
  const system = () => call<LedgerEntry[]>(t.core, 'audit.entries', { scope: 'system' });

  it('enrols a signer by public key, in the system ledger: name, role, key, fingerprint, who enrolled them and when', async () => {
    const priya = signerMachine(t.machines, { name: 'Priya Shah', role: 'CISO' });
    const s = await call<Signer>(t.core, 'signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: priya.publicKey, source: 'priya.pub' });
    expect(s).toMatchObject({
      id: 'SG-000001',
      name: 'Priya Shah',
      role: 'CISO',
      principal: 'priya-shah@ciso',
      keyType: 'ssh-ed25519',
      fingerprint: priya.key.sshPublicKey.fingerprint,
      enrolledBy: { name: 'Dana Reyes', role: 'IR lead' },
      enrolledAt: '2026-05-12T14:00:00.000Z',
      source: 'signers add priya.pub',
      sample: false,
      revoked: null,
    });
    const entry = (await system()).find((e) => e.seq === s.ledgerSeq);
    expect(entry).toMatchObject({ action: 'signers.enrolled', subject: 'SG-000001', actor: 'Dana Reyes', payload: { name: 'Priya Shah', role: 'CISO', fingerprint: s.fingerprint, publicKey: s.publicKey } });
    expect(await call<Signer[]>(t.core, 'signers.list', {})).toEqual([s]);
    // A FIDO2 security key is enrolled the same way.
    const sk = fakeSecurityKey(generateKeyPairSync('ed25519').privateKey);
    const legal = await call<Signer>(t.core, 'signers.add', { name: 'Sam Ortiz', role: 'Legal', publicKey: formatSshPublicKey(sk.publicKey) });
    expect(legal).toMatchObject({ keyType: 'sk-ssh-ed25519@openssh.com', fingerprint: sk.publicKey.fingerprint, source: 'signers add' });
  });

  it('refuses what is not one Ed25519 public key, saying what it is', async () => {
    const rsa = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 me@host';
    expect(await fails('signers.add', { name: 'A', role: 'CISO', publicKey: rsa, source: 'a.pub' })).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^a\.pub is a ssh-rsa key; Firebreak accepts ssh-ed25519 and sk-ssh-ed25519@openssh\.com keys\.$/) });
    expect(await fails('signers.add', { name: 'A', role: 'CISO', publicKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----', source: 'id_ed25519' })).toMatchObject({
      message: expect.stringMatching(/holds 3 key lines|is a private key/),
    });
    expect(await fails('signers.add', { name: 'A', role: 'CISO', publicKey: `${keyLine()}\n${keyLine()}`, source: 'two.pub' })).toMatchObject({ message: 'two.pub holds 2 key lines; give one public key (one .pub file) per signer.' });
    expect(await call<Signer[]>(t.core, 'signers.list', {})).toEqual([]);
  });

  it("refuses a key that is someone else's, a principal two people would share, and the same enrolment twice", async () => {
    const line = keyLine();
    await call(t.core, 'signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: line });
    expect(await fails('signers.add', { name: 'Morgan Lee', role: 'CISO', publicKey: line, source: 'm.pub' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^m\.pub: the key SHA256:\S+ is enrolled for Priya Shah \(CISO\) \(SG-000001\); a key belongs to one person; nothing was enrolled\.$/),
    });
    expect(await fails('signers.add', { name: 'Priya-Shah', role: 'ciso', publicKey: keyLine() })).toMatchObject({ message: expect.stringMatching(/would share the principal priya-shah@ciso with Priya Shah \(CISO\)/) });
    expect(await fails('signers.add', { name: 'priya shah', role: 'CISO', publicKey: line })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^priya shah \(CISO\) is already enrolled with the key SHA256:\S+ \(SG-000001\)\.$/) });
    // One person may hold one key in two roles, and two keys in one role (a security key and its backup).
    await call(t.core, 'signers.add', { name: 'Priya Shah', role: 'Legal', publicKey: line });
    await call(t.core, 'signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: keyLine() });
    expect((await call<Signer[]>(t.core, 'signers.list', {})).map((s) => s.principal)).toEqual(['priya-shah@ciso', 'priya-shah@legal', 'priya-shah@ciso']);
  });

  it('exports an allowed_signers file ssh-keygen reads, and imports it elsewhere, one ledger entry per line', async () => {
    const a = await call<Signer>(t.core, 'signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: keyLine() });
    const b = await call<Signer>(t.core, 'signers.add', { name: 'Sam Ortiz', role: 'Legal', publicKey: keyLine() });
    const out = await call<SignerExport>(t.core, 'signers.export', {});
    expect(out.signers).toBe(2);
    const lines = parseAllowedSigners(out.text);
    expect(lines.map((l) => [l.principals, l.namespaces, l.key.fingerprint, l.enrolment])).toEqual([
      [['priya-shah@ciso'], ['firebreak-signoff'], a.fingerprint, { name: 'Priya Shah', role: 'CISO', enrolledBy: 'Dana Reyes (IR lead)', enrolledAt: a.enrolledAt }],
      [['sam-ortiz@legal'], ['firebreak-signoff'], b.fingerprint, { name: 'Sam Ortiz', role: 'Legal', enrolledBy: 'Dana Reyes (IR lead)', enrolledAt: b.enrolledAt }],
    ]);

    // Another installation imports the file: each line is enrolled there, by its operator, citing where it came from.
    const other = await (await import('../../helpers/incident')).openIncident({ at: '2026-06-01T09:00:00Z' });
    try {
      const r = await call<SignerImport>(other.core, 'signers.import', { text: out.text, source: 'org-signers' });
      expect(r.unchanged).toEqual([]);
      expect(r.enrolled.map((s) => [s.name, s.role, s.fingerprint, s.source])).toEqual([
        ['Priya Shah', 'CISO', a.fingerprint, `org-signers:4 (enrolled there by Dana Reyes (IR lead) at ${a.enrolledAt})`],
        ['Sam Ortiz', 'Legal', b.fingerprint, `org-signers:5 (enrolled there by Dana Reyes (IR lead) at ${b.enrolledAt})`],
      ]);
      const entries = await call<LedgerEntry[]>(other.core, 'audit.entries', { scope: 'system' });
      expect(entries.filter((e) => e.action === 'signers.enrolled')).toHaveLength(2);
      // Importing the same file again changes nothing.
      const again = await call<SignerImport>(other.core, 'signers.import', { text: out.text, source: 'org-signers' });
      expect(again).toEqual({ enrolled: [], unchanged: [{ line: 4, id: r.enrolled[0]?.id }, { line: 5, id: r.enrolled[1]?.id }] });
    } finally {
      other.close();
    }
  });

  it('imports all or nothing: every line that cannot be enrolled is named FILE:LINE', async () => {
    const priya = keyLine();
    await call(t.core, 'signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: priya });
    const good = keyLine();
    const text = [
      '# signers',
      `sam-ortiz@legal namespaces="firebreak-signoff" ${good.split(' ').slice(0, 2).join(' ')} firebreak-enrolment {"name":"Sam Ortiz","role":"Legal"}`,
      `morgan-lee@ciso namespaces="firebreak-signoff" ${priya.split(' ').slice(0, 2).join(' ')} firebreak-enrolment {"name":"Morgan Lee","role":"CISO"}`,
      `alice@example.com ${keyLine().split(' ').slice(0, 2).join(' ')}`,
      `boss@ciso namespaces="firebreak-signoff" ${keyLine().split(' ').slice(0, 2).join(' ')} firebreak-enrolment {"name":"Kim Park","role":"CISO"}`,
      `git-only@legal namespaces="git" ${keyLine().split(' ').slice(0, 2).join(' ')} firebreak-enrolment {"name":"Git Only","role":"Legal"}`,
    ].join('\n');
    const e = await fails('signers.import', { text, source: 'team.txt' });
    expect(e).toMatchObject({ code: 'conflict', message: 'team.txt: 4 lines cannot be enrolled; nothing was imported.' });
    expect(e.details).toEqual([
      expect.stringMatching(/^team\.txt:3: the key SHA256:\S+ is enrolled for Priya Shah \(CISO\) \(SG-000001\); a key belongs to one person$/),
      "team.txt:4: no Firebreak enrolment record after the key, so the signer's name and role are unknown; enrol the key with signers add --name --role",
      'team.txt:5: the principal boss@ciso is not kim-park@ciso, the principal of Kim Park (CISO) in its enrolment record (the line was edited)',
      'team.txt:6: the key may not sign in the firebreak-signoff namespace (namespaces="git")',
    ]);
    expect(await call<Signer[]>(t.core, 'signers.list', {})).toHaveLength(1);
    expect(await fails('signers.import', { text: 'not a signer line', source: 'junk' })).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^junk:1: /) });
  });

  it('revokes an enrolment once, in the ledger: the key signs nothing after; the list shows it with includeRevoked', async () => {
    const s = await call<Signer>(t.core, 'signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: keyLine() });
    const r = await call<Signer>(t.core, 'signers.revoke', { id: s.id, reason: 'laptop lost' });
    expect(r.revoked).toMatchObject({ by: { name: 'Dana Reyes' }, reason: 'laptop lost' });
    expect(await fails('signers.revoke', { id: s.id, reason: 'again' })).toMatchObject({ code: 'conflict' });
    expect(await call<Signer[]>(t.core, 'signers.list', {})).toEqual([]);
    expect(await call<Signer[]>(t.core, 'signers.list', { includeRevoked: true })).toEqual([r]);
    expect((await system()).at(-1)).toMatchObject({ action: 'signers.revoked', subject: s.id, payload: { reason: 'laptop lost' } });
    expect((await call<SignerExport>(t.core, 'signers.export', {})).signers).toBe(0);
    // The row cannot be edited or removed behind the ledger's back.
    expect(() => t.core.context.db.prepare("UPDATE signers SET name = 'X' WHERE id = ?").run(s.id)).toThrow(/never changed/);
    expect(() => t.core.context.db.prepare('DELETE FROM signers').run()).toThrow(/never removed/);
  });

  it("keys init makes the operator's own key once, records it, and shows whether it is enrolled", async () => {
    const k = await call<KeyInitResult>(t.core, 'keys.init', { name: 'Dana Reyes', role: 'IR lead' });
    expect(k).toMatchObject({ created: true, name: 'Dana Reyes', role: 'IR lead', principal: 'dana-reyes@ir-lead', fingerprint: expect.stringMatching(/^SHA256:/), enrolment: null, protection: 'file mode 0600, not sealed' });
    expect(k.publicKeyPath.startsWith(t.dataDir)).toBe(true);
    expect((await system()).at(-1)).toMatchObject({ action: 'keys.created', subject: 'dana-reyes@ir-lead', payload: { fingerprint: k.fingerprint } });
    const again = await call<KeyInitResult>(t.core, 'keys.init', { name: 'Dana Reyes', role: 'ir-lead' });
    expect(again).toMatchObject({ created: false, fingerprint: k.fingerprint });
    const s = await call<Signer>(t.core, 'signers.add', { name: 'Dana Reyes', role: 'IR lead', publicKey: k.publicKey });
    expect(await call<OwnKey[]>(t.core, 'keys.list', {})).toEqual([expect.objectContaining({ fingerprint: k.fingerprint, enrolment: s })]);
  });
});
