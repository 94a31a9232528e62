import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDigests } from '../../../electron/core/cloudtrail/collect/digests';
import { ACCOUNT, generateCorpus } from '../../helpers/cloudtrail-corpus';
import { type TestKey, makeKey, writeDigestChain, writePublicKeys } from '../../helpers/cloudtrail-digest-signer';
import { repoRoot } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

const dir = tempDir('firebreak-ct-digest-');
let key: TestKey;
let pristine: string;
let logs: string[];

beforeAll(() => {
  key = makeKey();
  pristine = join(dir.path, 'pristine');
  const all = generateCorpus({ dir: pristine, records: 900, recordsPerFile: 100 }).files;
  logs = all.filter((f) => f.includes('/us-east-1/'));
  writeDigestChain({ root: pristine, key, account: ACCOUNT, region: 'us-east-1', groups: [logs.slice(0, 1), logs.slice(1, 2), logs.slice(2)] });
  for (const region of ['us-west-2', 'eu-west-1']) {
    writeDigestChain({ root: pristine, key, account: ACCOUNT, region, groups: [all.filter((f) => f.includes(`/${region}/`))] });
  }
  writePublicKeys(join(dir.path, 'keys.json'), [makeKey(), key]);
});
afterAll(() => dir.cleanup());

let n = 0;
/** A fresh copy of the signed tree to damage. */
const copy = () => {
  const to = join(dir.path, `case-${n++}`);
  cpSync(pristine, to, { recursive: true });
  return { root: to, log: (i: number) => (logs[i] as string).replace(pristine, to), digests: () => ({ dir: join(to, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest') }) };
};
const digestFiles = (root: string) => {
  const base = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest', 'us-east-1', '2026', '03', '10');
  return ['010000', '020000', '030000'].map((h) => join(base, `${ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20260310T${h}Z.json.gz`));
};
const verify = (root: string) => verifyDigests(root, join(dir.path, 'keys.json'));

describe('cloudtrail verify-digests', () => {
  it('accepts an untouched, signed and chained export', async () => {
    const v = await verify(pristine);
    expect(v.ok).toBe(true);
    const east = v.digests.filter((d) => d.path.includes('/us-east-1/'));
    expect(east.map((d) => [d.signature, d.chain])).toEqual([
      ['valid', 'first'],
      ['valid', 'ok'],
      ['valid', 'ok'],
    ]);
    expect(v.digests).toHaveLength(5);
    expect(v.counts).toEqual({ valid: 9, invalid: 0, missing: 0, unlisted: 0 });
  });

  it('names a changed log file, a missing one and one no digest lists', async () => {
    const c = copy();
    const changed = c.log(1);
    const text = gunzipSync(readFileSync(changed)).toString().replace('DescribeInstances', 'DescribeInstancez');
    writeFileSync(changed, gzipSync(text));
    rmSync(c.log(2));
    writeFileSync(join(c.root, `${ACCOUNT}_CloudTrail_us-east-1_20260310T0900Z_extra.json.gz`), gzipSync('{"Records":[]}'));
    const v = await verify(c.root);
    expect(v.ok).toBe(false);
    expect(v.counts).toMatchObject({ invalid: 1, missing: 1, unlisted: 1 });
    expect(v.logFiles.find((l) => l.status === 'invalid')?.path).toBe(changed);
    expect(v.logFiles.find((l) => l.status === 'invalid')?.reason).toMatch(/differs from/);
    expect(v.logFiles.find((l) => l.status === 'missing')?.s3Object).toContain((logs[2] as string).split('/').pop());
    expect(v.digests.every((d) => d.signature === 'valid')).toBe(true);
  });

  it('detects a changed digest, a wrong signature, a missing signature and a broken chain', async () => {
    const c = copy();
    const [d1, d2, d3] = digestFiles(c.root) as [string, string, string];
    // Editing the middle digest breaks its signature and the link from the next one.
    const doc = JSON.parse(gunzipSync(readFileSync(d2)).toString()) as { logFiles: unknown[] };
    doc.logFiles = [];
    writeFileSync(d2, gzipSync(JSON.stringify(doc)));
    rmSync(`${d1}.sig`);
    const v = await verify(c.root);
    const byPath = Object.fromEntries(v.digests.map((d) => [d.path, d]));
    expect(byPath[d1]).toMatchObject({ signature: 'missing' });
    expect(byPath[d2]).toMatchObject({ signature: 'invalid' });
    expect(byPath[d3]).toMatchObject({ signature: 'valid', chain: 'broken' });
    expect(byPath[d3]?.reason).toMatch(/previousDigestHashValue does not match/);
    expect(v.counts.unlisted).toBe(1);
    expect(v.ok).toBe(false);
  });

  it('notices a digest removed from the middle of the chain', async () => {
    const c = copy();
    const [, d2, d3] = digestFiles(c.root) as [string, string, string];
    rmSync(d2);
    rmSync(`${d2}.sig`);
    const v = await verify(c.root);
    expect(v.digests.find((d) => d.path === d3)).toMatchObject({ chain: 'previous-missing' });
    expect(v.ok).toBe(false);
  });

  it('says when the public key is unknown, and refuses a bad keys file', async () => {
    const other = join(dir.path, 'other-keys.json');
    writePublicKeys(other, [makeKey()]);
    const v = await verifyDigests(pristine, other);
    expect(v.digests.every((d) => d.signature === 'no-key')).toBe(true);
    writeFileSync(join(dir.path, 'bad.json'), '{"Keys":[]}');
    await expect(verifyDigests(pristine, join(dir.path, 'bad.json'))).rejects.toThrow(/no PublicKeyList/);
    await expect(verifyDigests(join(dir.path, 'nowhere'), join(dir.path, 'keys.json'))).rejects.toThrow(/cannot be read/);
  });

  const real = join(repoRoot, '..', 'shared', 'reference', 'cloudtrail', 'samples', 'digest');
  it.skipIf(!existsSync(real))('reads the real recorded digest (its signature and key were not recorded, so it cannot be proven)', async () => {
    const v = await verify(real);
    expect(v.digests).toHaveLength(1);
    expect(v.digests[0]).toMatchObject({ signature: 'missing', digestEndTime: '2023-10-15T23:04:04Z' });
    expect(v.counts.missing).toBe(5);
    expect(v.ok).toBe(false);
  });
});
