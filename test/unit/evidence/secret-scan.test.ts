import { describe, expect, it } from 'vitest';
import { SecretScanner, scanText } from '../../../electron/core/evidence/secret-scan';

// Test values are assembled at run time so that no scanner (ours or a repository's) flags this file.
const join = (...parts: string[]) => parts.join('');
const SECRETS = {
  awsKeyId: join('AKIA', 'Q3EGRZ7W5MNP2XKD'),
  awsTempKeyId: join('ASIA', 'Z4XKD7PQ2MN8WRTY'),
  awsSecret: join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYzq9Rk3Lm2P'),
  github: join('ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'),
  githubPat: join('github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'),
  slack: join('xoxb-', '1234567890-0987654321-AbCdEfGhIjKlMnOp'),
  jwt: join('eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiJhZ2VudC0xIiwicm9sZSI6ImFkbWluIn0', '.', 'c2lnbmF0dXJlLWJ5dGVzLWhlcmU'),
  bearer: join('tok_', 'live_9f8e7d6c5b4a39281706f5e4d3c2b1a0'),
  anthropic: join('sk-ant-', 'api03-', 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe'),
};
const PEM = join('-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x9Y3zq\nL0ngBodyOfTheKey+/=\n-----END RSA ', 'PRIVATE KEY-----\n');

const sample = [
  '# agent config dumped from the pod',
  `AWS_ACCESS_KEY_ID=${SECRETS.awsKeyId}`,
  `aws_secret_access_key = ${SECRETS.awsSecret}`,
  `"accessKeyId": "${SECRETS.awsTempKeyId}"`,
  `GITHUB_TOKEN=${SECRETS.github}`,
  `gh_fine=${SECRETS.githubPat}`,
  `SLACK_BOT=${SECRETS.slack}`,
  `Authorization: Bearer ${SECRETS.jwt}`,
  `curl -H "authorization: bearer ${SECRETS.bearer}"`,
  `ANTHROPIC_API_KEY=${SECRETS.anthropic}`,
  PEM,
].join('\n');

describe('secret scanning of text evidence', () => {
  it('flags AWS keys, private keys and common tokens, each once, with the line of its first occurrence', () => {
    const findings = scanText(sample);
    const kinds = findings.map((f) => `${f.kind}@${f.line}`);
    expect(kinds).toEqual([
      'aws-access-key-id@2',
      'aws-secret-access-key@3',
      'aws-access-key-id@4',
      'github-token@5',
      'github-token@6',
      'slack-token@7',
      'jwt@8',
      'bearer-token@9',
      'ai-api-key@10',
      'private-key@11',
    ]);
  });

  it('never keeps a secret: only a redacted form and a fingerprint', () => {
    const findings = scanText(sample);
    const stored = JSON.stringify(findings);
    for (const secret of Object.values(SECRETS)) expect(stored).not.toContain(secret);
    expect(stored).not.toContain('L0ngBodyOfTheKey');
    const key = findings.find((f) => f.kind === 'aws-access-key-id' && f.line === 2);
    expect(key?.redacted).toBe(`AKIA…${SECRETS.awsKeyId.slice(-4)} (20 chars)`);
    expect(key?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(findings.find((f) => f.kind === 'private-key')?.redacted).toBe(join('-----BEGIN RSA ', 'PRIVATE KEY-----'));
  });

  it('counts repeats of the same secret as occurrences of one finding', () => {
    const text = Array.from({ length: 5 }, (_, i) => `event ${i} "accessKeyId": "${SECRETS.awsTempKeyId}"`).join('\n');
    const [f] = scanText(text);
    expect(f).toMatchObject({ kind: 'aws-access-key-id', line: 1, occurrences: 5 });
  });

  it('finds a secret cut by any chunk boundary exactly once, with the right line', () => {
    const filler = 'x'.repeat(9000);
    const text = Buffer.from(`${filler}\nline two ${SECRETS.github} tail\n${filler}`, 'utf8');
    const at = text.indexOf(SECRETS.github);
    for (const cut of [at - 1, at, at + 3, at + 20, at + SECRETS.github.length - 1, at + SECRETS.github.length]) {
      const s = new SecretScanner();
      s.push(text.subarray(0, cut));
      s.push(text.subarray(cut));
      const found = s.finish();
      expect(found, `cut at ${cut}`).toHaveLength(1);
      expect(found[0]).toMatchObject({ kind: 'github-token', line: 2, occurrences: 1 });
    }
  });

  it('gives the same findings fed a byte at a time as all at once', () => {
    const bytes = Buffer.from(sample, 'utf8');
    const s = new SecretScanner();
    for (let i = 0; i < bytes.length; i += 7) s.push(bytes.subarray(i, i + 7));
    expect(s.finish()).toEqual(scanText(sample));
  });

  it('keeps line numbers right over many chunks', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i}`);
    lines[41_234] = `token ${SECRETS.slack}`;
    const bytes = Buffer.from(lines.join('\n'), 'utf8');
    const s = new SecretScanner();
    for (let i = 0; i < bytes.length; i += 65_536) s.push(bytes.subarray(i, i + 65_536));
    expect(s.finish()).toEqual([expect.objectContaining({ kind: 'slack-token', line: 41_235 })]);
  });

  it('does not scan binary content', () => {
    const bin = Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`${SECRETS.awsKeyId}\n`)]);
    const s = new SecretScanner();
    s.push(bin);
    expect(s.finish()).toEqual([]);
    expect(s.isText).toBe(false);
  });

  it('does not flag look-alikes: ids inside longer words, short tokens, role ids', () => {
    const text = [`XAKIA${SECRETS.awsKeyId.slice(4)}`, 'ghp_short', 'Bearer abc', 'AROAQ3EGRZ7W5MNP2XKD'].join('\n');
    expect(scanText(text)).toEqual([]);
  });
});
