import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findAllowedSigners, formatAllowedSigners, matchPatternList, parseAllowedSigners, signerPrincipal } from '../../../electron/core/trust/allowed-signers';
import { formatSshPublicKey, skEd25519PublicKey, sshPublicKeyFromKeyObject } from '../../../electron/core/trust/ssh-public-key';
import { SIGNOFF_NAMESPACE } from '../../../electron/core/trust/sshsig';

const newKey = () => sshPublicKeyFromKeyObject(generateKeyPairSync('ed25519').publicKey);
const A = newKey();
const B = newKey();
const SK = skEd25519PublicKey(Buffer.alloc(32, 9));
const line = (k = A) => formatSshPublicKey(k, '');

describe('signer principals', () => {
  it.each([
    ['Priya Shah', 'CISO', 'priya-shah@ciso'],
    ['  Dana  Reyes ', 'IR lead', 'dana-reyes@ir-lead'],
    ['José Núñez-García', 'Legal', 'jose-nunez-garcia@legal'],
    ["Sean O'Brien, Jr.", 'Legal counsel', 'sean-o-brien-jr@legal-counsel'],
    ['Ελένη Παππά', 'CISO', 'ελενη-παππα@ciso'],
    ['Li *?! Wei', 'CISO', 'li-wei@ciso'],
  ])('%s as %s is %s', (name, role, principal) => {
    expect(signerPrincipal(name, role)).toBe(principal);
  });

  it('gives a name of symbols alone a hashed principal, and refuses a blank name or role', () => {
    expect(signerPrincipal('***', 'CISO')).toMatch(/^x[0-9a-f]{8}@ciso$/);
    expect(signerPrincipal('***', 'CISO')).not.toBe(signerPrincipal('???', 'CISO'));
    expect(() => signerPrincipal(' ', 'CISO')).toThrow('A signer needs a name.');
    expect(() => signerPrincipal('Priya Shah', '')).toThrow('A signer needs a role.');
  });
});

describe('OpenSSH pattern lists', () => {
  it.each([
    ['firebreak-signoff', 'firebreak-signoff', true],
    ['firebreak-signoff', 'git,firebreak-*', true],
    ['firebreak-signoff', 'git,file', false],
    ['firebreak-signoff', '*,!firebreak-signoff', false],
    ['priya-shah@ciso', '*@ciso', true],
    ['priya-shah@ciso', 'priya-shah@cis?', true],
    ['priya.shah@ciso', 'priya-shah@ciso', false],
    ['a(b)+c', 'a(b)+c', true],
  ])('%s in %s: %s', (value, list, result) => {
    expect(matchPatternList(value, list)).toBe(result);
  });
});

describe('writing allowed_signers', () => {
  it('writes a header, then principal, namespace, key and the enrolment record per line', () => {
    const text = formatAllowedSigners([
      { key: A, enrolment: { name: 'Priya Shah', role: 'CISO', enrolledBy: 'Dana Reyes', enrolledAt: '2026-03-02T09:15:00Z' } },
      { key: SK, enrolment: { name: 'Lee Park', role: 'IR lead' } },
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 3).every((l) => l.startsWith('#'))).toBe(true);
    expect(lines[1]).toBe(`#   ssh-keygen -Y verify -f allowed_signers -I PRINCIPAL -n ${SIGNOFF_NAMESPACE} -s REQUEST.sig < REQUEST`);
    expect(lines[3]).toBe(
      `priya-shah@ciso namespaces="firebreak-signoff" ${line(A)} firebreak-enrolment ` +
        `{"name":"Priya Shah","role":"CISO","fingerprint":"${A.fingerprint}","enrolledBy":"Dana Reyes","enrolledAt":"2026-03-02T09:15:00Z"}`,
    );
    expect(lines[4]).toBe(`lee-park@ir-lead namespaces="firebreak-signoff" ${line(SK)} firebreak-enrolment {"name":"Lee Park","role":"IR lead","fingerprint":"${SK.fingerprint}"}`);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('reads back what it wrote', () => {
    const entries = [
      { key: A, enrolment: { name: 'Priya Shah', role: 'CISO', enrolledBy: 'Dana Reyes', enrolledAt: '2026-03-02T09:15:00Z' } },
      { key: B, enrolment: { name: 'Priya Shah', role: 'CISO' } },
      { key: SK, enrolment: { name: 'Lee "LP" Park', role: 'IR lead' }, principal: 'lee@example.org' },
    ];
    const signers = parseAllowedSigners(formatAllowedSigners(entries));
    expect(signers.map((s) => ({ principals: s.principals, namespaces: s.namespaces, fp: s.key.fingerprint, enrolment: s.enrolment, line: s.line }))).toEqual([
      { principals: ['priya-shah@ciso'], namespaces: [SIGNOFF_NAMESPACE], fp: A.fingerprint, enrolment: entries[0]?.enrolment, line: 4 },
      { principals: ['priya-shah@ciso'], namespaces: [SIGNOFF_NAMESPACE], fp: B.fingerprint, enrolment: { name: 'Priya Shah', role: 'CISO' }, line: 5 },
      { principals: ['lee@example.org'], namespaces: [SIGNOFF_NAMESPACE], fp: SK.fingerprint, enrolment: { name: 'Lee "LP" Park', role: 'IR lead' }, line: 6 },
    ]);
  });

  it('refuses two signers that would share a principal, a key listed twice, and unsafe principals', () => {
    expect(() =>
      formatAllowedSigners([
        { key: A, enrolment: { name: 'Ann-Marie Lee', role: 'CISO' } },
        { key: B, enrolment: { name: 'Ann Marie Lee', role: 'ciso' } },
      ]),
    ).toThrow('Ann-Marie Lee and Ann Marie Lee would share the principal ann-marie-lee@ciso; give one of them a distinct principal.');
    expect(() =>
      formatAllowedSigners([
        { key: A, enrolment: { name: 'Priya Shah', role: 'CISO' } },
        { key: A, enrolment: { name: 'Priya Shah', role: 'CISO' } },
      ]),
    ).toThrow(`The key ${A.fingerprint} is listed twice for priya-shah@ciso.`);
    for (const principal of ['Priya Shah', 'a,b', '*@ciso', '!x', 'a"b', '#x', '']) {
      expect(() => formatAllowedSigners([{ key: A, enrolment: { name: 'Priya Shah', role: 'CISO' }, principal }])).toThrow(/would not be one literal principal/);
    }
    expect(() => formatAllowedSigners([{ key: A, enrolment: { name: 'Priya\nShah', role: 'CISO' } }])).toThrow('The name "Priya?Shah" contains control characters.');
    expect(() => formatAllowedSigners([{ key: A, enrolment: { name: 'Priya Shah', role: ' ' } }])).toThrow("A signer's role is empty.");
  });
});

describe('reading allowed_signers', () => {
  it('reads lines other tools write: quoted and several principals, options, comments, blank lines', () => {
    const text = [
      '# team signers',
      '',
      `a@example.com ${line(A)}`,
      `"b@example.com,c@example.com" namespaces="git,file",valid-after="20260101",valid-before="202701011200Z" ${line(B)} laptop`,
      `  *@example.com cert-authority,namespaces="firebreak-signoff" ${line(A)}`,
      `d@example.com NAMESPACES="firebreak-*" ${line(SK)}`,
    ].join('\r\n');
    const signers = parseAllowedSigners(text);
    expect(signers.map(({ principals, namespaces, certAuthority, validAfter, validBefore, enrolment, line: n }) => ({ principals, namespaces, certAuthority, validAfter, validBefore, enrolment, n }))).toEqual([
      { principals: ['a@example.com'], namespaces: null, certAuthority: false, validAfter: null, validBefore: null, enrolment: null, n: 3 },
      { principals: ['b@example.com', 'c@example.com'], namespaces: ['git', 'file'], certAuthority: false, validAfter: '20260101', validBefore: '202701011200Z', enrolment: null, n: 4 },
      { principals: ['*@example.com'], namespaces: [SIGNOFF_NAMESPACE], certAuthority: true, validAfter: null, validBefore: null, enrolment: null, n: 5 },
      { principals: ['d@example.com'], namespaces: ['firebreak-*'], certAuthority: false, validAfter: null, validBefore: null, enrolment: null, n: 6 },
    ]);
    expect(signers[1]?.key.comment).toBe('laptop');
    // find-principals: the plain key line in any namespace, never the CA line; namespaces are patterns.
    expect(findAllowedSigners(signers, A, SIGNOFF_NAMESPACE).map((s) => s.line)).toEqual([3]);
    expect(findAllowedSigners(signers, B, SIGNOFF_NAMESPACE)).toEqual([]);
    expect(findAllowedSigners(signers, B, 'git').map((s) => s.line)).toEqual([4]);
    expect(findAllowedSigners(signers, SK, SIGNOFF_NAMESPACE).map((s) => s.line)).toEqual([6]);
  });

  it('honours valid-after and valid-before at the time asked about, as ssh-keygen -Overify-time does', () => {
    const signers = parseAllowedSigners(`a@x valid-after="20250101Z",valid-before="20251231235959Z" ${line(A)}\nb@x valid-before="20240601" ${line(B)}\n`);
    expect(findAllowedSigners(signers, A, SIGNOFF_NAMESPACE, new Date('2025-06-01T00:00:00Z'))).toHaveLength(1);
    expect(findAllowedSigners(signers, A, SIGNOFF_NAMESPACE, new Date('2024-12-31T23:59:59Z'))).toHaveLength(0);
    expect(findAllowedSigners(signers, A, SIGNOFF_NAMESPACE, new Date('2026-01-01T00:00:01Z'))).toHaveLength(0);
    // No Z: local time, so only days well clear of any time zone are asked about.
    expect(findAllowedSigners(signers, B, SIGNOFF_NAMESPACE, new Date('2024-05-20T12:00:00Z'))).toHaveLength(1);
    expect(findAllowedSigners(signers, B, SIGNOFF_NAMESPACE, new Date('2024-06-10T12:00:00Z'))).toHaveLength(0);
  });

  it('names every line that is not a signer, with its number and what is wrong', () => {
    const good = formatAllowedSigners([{ key: A, enrolment: { name: 'Priya Shah', role: 'CISO' } }]).trimEnd().split('\n')[3] as string;
    const text = [
      `a@example.com ${line(A)}`,
      `"unterminated ${line(A)}`,
      `b@example.com role="CISO" ${line(A)}`,
      `c@example.com namespaces="x",namespaces="y" ${line(A)}`,
      `d@example.com valid-after="yesterday" ${line(A)}`,
      'e@example.com ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== rsa-key',
      `${line(A)}`,
      'f@example.com',
      good.replace(A.fingerprint, B.fingerprint),
      `${good.split(' firebreak-enrolment ')[0]} firebreak-enrolment {"name":`,
      `${good.split(' firebreak-enrolment ')[0]} firebreak-enrolment {"role":"CISO"}`,
      `g@example.com namespaces="open ${line(A)}`,
    ].join('\n');
    let details: string[] = [];
    try {
      parseAllowedSigners(text, 'signers.txt');
    } catch (e) {
      expect((e as Error).message).toBe('signers.txt has 11 lines that are not signers.');
      details = (e as { details: string[] }).details;
    }
    expect(details).toEqual([
      'signers.txt:2: a quoted principal has no closing quote.',
      'signers.txt:3: unknown option "role="CISO"" (ssh-keygen accepts cert-authority, namespaces, valid-after, valid-before).',
      'signers.txt:4: namespaces is given twice.',
      'signers.txt:5: valid-after "yesterday" is not YYYYMMDD[HHMM[SS]][Z].',
      'signers.txt:6 is a ssh-rsa key; Firebreak accepts ssh-ed25519 and sk-ssh-ed25519@openssh.com keys.',
      'signers.txt:7: it has no principal before its key.',
      'signers.txt:8: it has no key.',
      `signers.txt:9: its enrolment record names the fingerprint ${B.fingerprint} but the key on the line is ${A.fingerprint}.`,
      'signers.txt:10: its enrolment record is not valid JSON.',
      'signers.txt:11: its enrolment record lacks a name or role.',
      'signers.txt:12: an option value has no closing quote.',
    ]);
  });

  it('reports a single bad line in the message itself', () => {
    expect(() => parseAllowedSigners(`x@y role="CISO" ${line(A)}`, 'org.allowed')).toThrow(/^org\.allowed:1: unknown option/);
  });
});
