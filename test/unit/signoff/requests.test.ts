import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { objectPath } from '../../../electron/core/evidence/store';
import { parseRequest } from '../../../electron/core/kernel/signoff-request-file';
import { SIGNOFF_NAMESPACE, signSshsig } from '../../../electron/core/trust/sshsig';
import type { LedgerEntry } from '../../../electron/shared/domain';
import type { SignedRequest } from '../../../electron/shared/signers';
import type { SignOffRecord } from '../../../electron/shared/signoff';
import { call, testCore } from '../../helpers/core';
import { perTest } from '../../helpers/incident';
import { fakeSecurityKey } from '../../helpers/ssh-keygen';
import { signOn, signerMachine } from '../../helpers/signers';
import { tempDir } from '../../helpers/temp';
import { addEvidence, backAttestations, openReportsIncident, recordCompare } from '../reports/support';

describe('sign-off by request and response', () => {
  const t = perTest(async () => {
    const f = await openReportsIncident('2026-05-12T14:00:00Z');
    await backAttestations(f, f.id);
    recordCompare(f.core, f.id, 'match', '2026-05-11T10:00:00Z');
    return f;
  });
  const refusal = (p: Promise<unknown>) => p.then(
    () => {
      throw new Error('not refused');
    },
    (e: { code: string; message: string; details?: string[] }) => e,
  );
  const ledger = () => call<LedgerEntry[]>(t.core, 'audit.entries', { scope: t.id });

  it('writes one file whose bytes are signed: a readable part rendered from its canonical JSON, saying how to sign it', async () => {
    const req = await t.mine('signoff.request', { id: t.id, role: 'ciso' });
    expect(req).toMatchObject({ id: 'SR-000001', role: 'CISO', stepId: 'reinstatement-sign-off', fileName: `${t.id}-ciso-SR-000001.signoff-request.txt` });
    expect(req.text).toMatch(/^FIREBREAK SIGN-OFF REQUEST SR-000001\n\nIncident {3}IR-\d{4}-\d{4}: /);
    expect(req.text).toContain('WHAT YOU SIGN\n  I, signing as CISO with my enrolled key, attest that: (1) All affected data stores');
    // Every affected data store, named in the sentence and in the gate with the run that proves it.
    expect(req.text).toContain('The affected data stores and their latest comparisons: postgres://firebreak@orders-db.internal:5432/orders (VR-000001: match).');
    expect(req.text).toContain('THE GATE WHEN THIS REQUEST WAS MADE: met\n  Validation of postgres://firebreak@orders-db.internal:5432/orders: match, run VR-000001, compared ');
    expect(req.text).toContain(`  Incident report (JSON) SHA-256  ${req.body.report.sha256}`);
    expect(req.text).toContain(`  Ledger of ${t.id}  entry ${req.body.ledger.seq}, hash ${req.body.ledger.head}`);
    expect(req.text).toContain('    ssh-keygen -Y sign -n firebreak-signoff -f ~/.ssh/id_ed25519 THIS-FILE');
    expect(req.text).toContain('    firebreak signoff sign THIS-FILE --out THIS-FILE.sig');
    expect(parseRequest(req.text)).toEqual(req.body);
    // Every attestation with its evidence and status, and the gate as it reads it.
    expect(req.body.attestations.map((a) => a.evidence.map((e) => e.status))).toEqual([['intact'], ['intact'], ['intact']]);
    const entry = (await ledger()).at(-1);
    expect(entry).toMatchObject({ action: 'signoff.requested', subject: 'reinstatement-sign-off', payload: { request: 'SR-000001', role: 'CISO', requestSha256: req.sha256, pinned: { seq: req.body.ledger.seq } } });
    expect(entry?.seq).toBe(req.body.ledger.seq + 1);
    // Edited in its readable part, or re-saved with CRLF: refused.
    expect(() => parseRequest(req.text.replace('attest that', 'attest, maybe, that'), 'req.txt')).toThrow('req.txt: its readable part does not say what its data says (the file was edited after Firebreak wrote it).');
    expect(() => parseRequest(req.text.replace(/\n/g, '\r\n'), 'req.txt')).toThrow(/Windows line endings/);
    expect(() => parseRequest('hello', 'req.txt')).toThrow(/is not a Firebreak sign-off request/);
  });

  it('imports a signature from the enrolled signer, naming them from the enrolment; requests of other roles stay current', async () => {
    const morgan = await t.machine({ name: 'Morgan Lee', role: 'CISO' });
    const sam = await t.machine({ name: 'Sam Ortiz', role: 'Legal' });
    const forCiso = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
    const forLegal = await t.mine('signoff.request', { id: t.id, role: 'Legal' });
    // No --request: the signature is matched to the request it holds over.
    const a = await t.mine('signoff.import', { id: t.id, signature: signOn(morgan, forCiso.text), signatureName: 'ciso.sig' });
    expect(a).toMatchObject({ name: 'Morgan Lee', role: 'CISO', request: { id: forCiso.id } });
    // The CISO's sign-off (its ledger entries and kept evidence) does not make Legal's request out of date.
    expect((await t.mine('signoff.requests', { id: t.id })).map((r) => [r.id, r.state])).toEqual([
      [forLegal.id, 'open'],
      [forCiso.id, 'signed'],
    ]);
    const b = await t.mine('signoff.import', { id: t.id, signature: signOn(sam, forLegal.text), request: forLegal.text });
    expect(b).toMatchObject({ name: 'Sam Ortiz', role: 'Legal' });
    expect(b.reportSha256).toBe(forLegal.body.report.sha256);
    // Signed once: the same signature again, or a new request for the role, is refused.
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(sam, forLegal.text), request: forLegal.text }))).toMatchObject({ code: 'conflict' });
  });

  it('accepts a FIDO2 security key (sk-ssh-ed25519) signature, and refuses one made without a touch', async () => {
    const sk = fakeSecurityKey(generateKeyPairSync('ed25519').privateKey);
    await t.mine('signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: `${sk.publicKey.type} ${sk.publicKey.blob.toString('base64')} yubikey` });
    const req = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
    const untouched = sk.sign(Buffer.from(req.text), SIGNOFF_NAMESPACE, { flags: 0, counter: 7 });
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: untouched, request: req.text }))).toMatchObject({ code: 'check-failed', message: expect.stringMatching(/without the user touching it/) });
    const s = await t.mine('signoff.import', { id: t.id, signature: sk.sign(Buffer.from(req.text), SIGNOFF_NAMESPACE, { flags: 1, counter: 8 }), request: req.text });
    expect(s).toMatchObject({ name: 'Priya Shah', fingerprint: sk.publicKey.fingerprint, signer: { keyType: 'sk-ssh-ed25519@openssh.com' } });
  });

  it('refuses an unenrolled key, a key enrolled for another role, a revoked enrolment, another namespace and a tampered request', async () => {
    const req = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
    const elsewhere = tempDir('firebreak-eve-');
    const stranger = signerMachine(elsewhere.path, { name: 'Eve', role: 'CISO' });
    elsewhere.cleanup();
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(stranger, req.text), request: req.text }))).toMatchObject({
      code: 'check-failed',
      message: `The key ${stranger.key.sshPublicKey.fingerprint} that made the signature is not enrolled: nobody enrolled it as a signer.`,
    });
    const sam = await t.machine({ name: 'Sam Ortiz', role: 'Legal' });
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(sam, req.text), request: req.text }))).toMatchObject({
      code: 'check-failed',
      message: expect.stringMatching(/^The key SHA256:\S+ is enrolled for Sam Ortiz as Legal \(SG-\d+\), not for CISO: it cannot sign as CISO\.$/),
    });
    const morgan = await t.machine({ name: 'Morgan Lee', role: 'CISO' });
    const gitSig = signSshsig(req.text, morgan.key.signer, 'git');
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: gitSig, request: req.text }))).toMatchObject({ code: 'check-failed', message: expect.stringMatching(/namespace "git", not "firebreak-signoff"/) });
    // Tampered: a request changed after it was made is not one of ours, whoever signed it.
    const edited = req.text.replace('attest that', 'attest, maybe, that');
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(morgan, edited), request: edited, requestName: 'req.txt' }))).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^req\.txt: its readable part does not say what its data says/) });
    const data = req.text.replace('"role":"CISO"', '"role":"CISO" ');
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(morgan, data), request: data, requestName: 'req.txt' }))).toMatchObject({ code: 'bad-input' });
    // A signature over the request, with the request's bytes changed: refused.
    const other = await t.mine('signoff.request', { id: t.id, role: 'Legal' });
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(morgan, req.text), request: other.text, requestName: 'legal.txt', signatureName: 'ciso.sig' }))).toMatchObject({
      code: 'check-failed',
      message: expect.stringMatching(/^ciso\.sig does not hold over legal\.txt: the signature does not match the message/),
    });
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(stranger, 'nothing we asked for'), signatureName: 'x.sig' }))).toMatchObject({
      code: 'check-failed',
      message: `x.sig is not a signature over any of the 2 sign-off requests made for ${t.id}.`,
    });
    const enrolment = (await t.mine('signers.list', {})).find((s) => s.name === 'Morgan Lee');
    await t.mine('signers.revoke', { id: enrolment?.id as string, reason: 'left the company' });
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(morgan, req.text), request: req.text }))).toMatchObject({ code: 'check-failed', message: expect.stringMatching(/that enrolment was revoked/) });
    expect((await t.mine('signoff.status', { id: t.id }))[0]?.signOffs).toEqual([]);
  });

  it('refuses a stale request, saying what changed in the ledger since', async () => {
    const morgan = await t.machine({ name: 'Morgan Lee', role: 'CISO' });
    const req = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
    const item = await addEvidence(t.core, t.id, 'late-note.txt', 'found later\n');
    const r = await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(morgan, req.text), request: req.text }));
    expect(r).toMatchObject({ code: 'check-failed', message: expect.stringMatching(/is out of date: the incident changed since it was made/) });
    expect(r.details?.[0]).toBe(`1 ledger entry was added since the request pinned entry ${req.body.ledger.seq}, other than sign-offs:`);
    expect(r.details?.[1]).toMatch(new RegExp(`^entry ${req.body.ledger.seq + 2} evidence\\.acquired \\(${item.id}\\) by Dana Reyes at `));
    // A new request pins the ledger as it is now, and signs.
    expect(await t.sign({ id: t.id, role: 'CISO', name: 'Morgan Lee' })).toMatchObject({ name: 'Morgan Lee' });
  });

  it('hashes the evidence again at import: a stored copy changed since the request makes it stale', async () => {
    const morgan = await t.machine({ name: 'Morgan Lee', role: 'CISO' });
    const req = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
    const item = req.body.attestations[1]?.evidence[0];
    const stored = objectPath(t.dataDir, item?.sha256 as string);
    chmodSync(stored, 0o644);
    writeFileSync(stored, 'the policy review said something else\n');
    const r = await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(morgan, req.text), request: req.text }));
    expect(r).toMatchObject({ code: 'check-failed' });
    expect(r.details).toEqual(
      expect.arrayContaining([
        'the sign-off gate was met and now is not met',
        `attestation policy-peer-reviewed: its evidence was ${item?.id} intact, now ${item?.id} modified`,
        expect.stringMatching(/^entry \d+ evidence\.verified \(IR-\d{4}-\d{4}\) by Dana Reyes at /),
      ]),
    );
  });

  it('refuses a request whose pinned history was rewritten', async () => {
    const morgan = await t.machine({ name: 'Morgan Lee', role: 'CISO' });
    const req = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
    // Someone with the database file rewrites the history under the request (the append-only triggers dropped first).
    t.core.context.db.exec('DROP TRIGGER ledger_entries_no_update');
    t.core.context.db.prepare('UPDATE ledger_entries SET hash = ? WHERE scope = ? AND seq = ?').run('f'.repeat(64), t.id, req.body.ledger.seq);
    expect(await refusal(t.mine('signoff.import', { id: t.id, signature: signOn(morgan, req.text), request: req.text }))).toMatchObject({
      details: expect.arrayContaining([`the ledger was rewritten: entry ${req.body.ledger.seq} no longer has the hash ${req.body.ledger.head} the request pinned`]),
    });
  });

  it('signs directly only as oneself, with one\'s own key enrolled for the role; signing as anyone else says how to ask', async () => {
    const asOther = await refusal(t.mine('signoff.sign', { id: t.id, role: 'CISO', name: 'Priya Shah' }));
    expect(asOther).toMatchObject({ code: 'check-failed', message: 'You are working as Dana Reyes: you cannot sign as Priya Shah. Only Priya Shah signs as Priya Shah, with their own key.' });
    expect(asOther.details?.[0]).toBe(`To have Priya Shah sign, send them a request: firebreak signoff request ${t.id} --role "CISO" --out request.txt`);
    expect(await refusal(t.mine('signoff.sign', { id: t.id, role: 'IR lead', name: 'Dana Reyes' }))).toMatchObject({ code: 'check-failed', message: 'You hold no signing key for Dana Reyes (IR lead) on this machine.' });
    const key = await t.mine('keys.init', { name: 'Dana Reyes', role: 'IR lead' });
    expect(await refusal(t.mine('signoff.sign', { id: t.id, role: 'IR lead', name: 'Dana Reyes' }))).toMatchObject({
      message: `Your key ${key.fingerprint} is not enrolled for Dana Reyes as IR lead, so it cannot sign as IR lead.`,
      details: [`Enrol it (whoever enrols signers confirms the fingerprint with you): firebreak signers add --name "Dana Reyes" --role "IR lead" --public-key ${key.publicKeyPath}`],
    });
    // Her IR lead key does not sign as CISO, even once enrolled.
    await t.mine('signers.add', { name: 'Dana Reyes', role: 'IR lead', publicKey: key.publicKey });
    expect(await refusal(t.mine('signoff.sign', { id: t.id, role: 'CISO', name: 'Dana Reyes' }))).toMatchObject({ message: 'You hold no signing key for Dana Reyes (CISO) on this machine.' });
    expect(await t.mine('signoff.signerKey', { name: 'Dana Reyes', role: 'ir lead' })).toMatchObject({ fingerprint: key.fingerprint, enrolmentId: expect.stringMatching(/^SG-/) });
    const s = await t.mine('signoff.sign', { id: t.id, role: 'ir-lead', name: 'dana reyes' });
    expect(s).toMatchObject({ name: 'Dana Reyes', role: 'IR lead', scheme: 'sshsig', fingerprint: key.fingerprint });
    expect(nothingSignedAs('Priya Shah', await ledger())).toBe(true);
  });

  it("signs on the signer's own machine with `signoff sign`: their own install, their key for the request's role", async () => {
    const machine = tempDir('firebreak-priya-');
    const theirs = testCore(machine.path, { operator: { name: 'Priya Shah', role: 'CISO' } });
    try {
      const key = await call<{ publicKey: string }>(theirs, 'keys.init', { name: 'Priya Shah', role: 'CISO' });
      await t.mine('signers.add', { name: 'Priya Shah', role: 'CISO', publicKey: key.publicKey, source: 'priya-shah@ciso.pub' });
      const req = await t.mine('signoff.request', { id: t.id, role: 'CISO' });
      // Their install knows nothing of the incident: the request file carries what they sign.
      const signed = await call<SignedRequest>(theirs, 'signoff.signRequest', { request: req.text, requestName: req.fileName });
      expect(signed).toMatchObject({ incidentId: t.id, role: 'CISO', requestSha256: req.sha256, signer: { name: 'Priya Shah', role: 'CISO' } });
      const used = (await call<LedgerEntry[]>(theirs, 'audit.entries', { scope: 'system' })).at(-1);
      expect(used).toMatchObject({ action: 'keys.signed', payload: { request: req.id, requestSha256: req.sha256, incident: t.id } });
      const s = await t.mine('signoff.import', { id: t.id, signature: signed.signature, request: req.text });
      expect(s).toMatchObject({ name: 'Priya Shah', role: 'CISO' });
      // A request for a role they hold no key for is refused on their machine.
      const legal = await t.mine('signoff.request', { id: t.id, role: 'Legal' });
      const r = await theirs.call('signoff.signRequest', { request: legal.text });
      expect(r).toMatchObject({ ok: false, error: { code: 'check-failed', message: 'You hold no key for the role Legal on this machine (keys here: Priya Shah (CISO)).' } });
    } finally {
      theirs.close();
      machine.cleanup();
    }
  });
});

/** No sign-off in the ledger names this person as the signer. */
function nothingSignedAs(name: string, entries: LedgerEntry[]): boolean {
  return !entries.some((e) => e.action.startsWith('signoff.signed') && (e.payload as SignOffRecord).name === name);
}
