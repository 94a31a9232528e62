import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FirebreakError } from '../../../electron/core/errors';
import { readTimeStampToken, requestTimeStamp, timeStampDigest } from '../../../electron/core/trust/timestamp';
import { TSA_OTHER_POLICY, TSA_POLICY, openssl, startLocalTsa } from '../../helpers/local-tsa';
import { tempDir } from '../../helpers/temp';

/** RFC 3161 against a real `openssl ts` TSA on 127.0.0.1; the tokens are checked with `openssl ts -verify`. */
describe('RFC 3161 time-stamps from a local openssl TSA', () => {
  let dir: ReturnType<typeof tempDir>;
  let tsa: Awaited<ReturnType<typeof startLocalTsa>>;
  const checkpoint = Buffer.from('{"incident":"IR-2026-0002","seq":41,"head":"9f2c5a…"}\n');
  let dataPath: string;

  beforeAll(async () => {
    dir = tempDir('firebreak-tsa-');
    tsa = await startLocalTsa(dir.path);
    dataPath = join(dir.path, 'checkpoint.json');
    writeFileSync(dataPath, checkpoint);
  });
  afterAll(async () => {
    await tsa.close();
    dir.cleanup();
  });
  beforeEach(() => tsa.setMode({ kind: 'honest' }));

  const save = (name: string, data: Buffer) => {
    const p = join(dir.path, name);
    writeFileSync(p, data);
    return p;
  };
  const reviewerVerify = (tokenPath: string, data = ['-data', dataPath]) =>
    openssl(['ts', '-verify', ...data, '-in', tokenPath, '-token_in', '-CAfile', tsa.caPath, '-untrusted', tsa.tsaCertPath]);
  const refusal = async (p: Promise<unknown>): Promise<FirebreakError> => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(FirebreakError);
    return e as FirebreakError;
  };

  it('sends the request openssl ts -query would, and gets a token that openssl ts -verify accepts', async () => {
    const stamp = await requestTimeStamp(tsa.url, checkpoint);
    const digest = timeStampDigest(checkpoint).toString('hex');
    expect(stamp.digest).toBe(digest);
    expect(stamp.policy).toBe(TSA_POLICY);

    // What we sent, read by openssl.
    const query = openssl(['ts', '-query', '-in', save('sent.tsq', tsa.requests.at(-1) as Buffer), '-text']);
    expect(query.status, query.stderr).toBe(0);
    expect(query.stdout).toMatch(/Version: 1\n/);
    expect(query.stdout).toMatch(/Hash Algorithm: sha256\n/);
    expect(query.stdout).toContain(`Nonce: ${stamp.nonce}\n`);
    expect(query.stdout).toMatch(/Certificate required: yes\n/);
    const hexDump = [...query.stdout.matchAll(/^\s+[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]+)+)/gm)].map((m) => (m[1] as string).replace(/[ -]/g, '')).join('');
    expect(hexDump).toBe(digest);

    // The reviewer's check, exactly as the guide will print it.
    const tokenPath = save('checkpoint.tsr', stamp.token);
    const verified = reviewerVerify(tokenPath);
    expect(verified.stdout + verified.stderr).toContain('Verification: OK');
    expect(verified.status).toBe(0);
    expect(reviewerVerify(tokenPath, ['-data', save('other.json', Buffer.from('another checkpoint\n'))]).status).not.toBe(0);

    // Serial, policy and time as openssl reads them from the token.
    const text = openssl(['ts', '-reply', '-in', tokenPath, '-token_in', '-text']).stdout;
    expect(text).toContain(`Serial number: ${stamp.serial}\n`);
    expect(text).toContain(`Policy OID: ${stamp.policy}\n`);
    const printed = /Time stamp: (.+)\n/.exec(text)?.[1] as string;
    expect(Date.parse(stamp.genTime)).toBe(Date.parse(printed));
    expect(readTimeStampToken(stamp.token)).toMatchObject({ policy: TSA_POLICY, hasCertificates: true, nonce: BigInt(stamp.nonce) });
  });

  it('gives each stamp its own nonce and serial', async () => {
    const a = await requestTimeStamp(tsa.url, checkpoint);
    const b = await requestTimeStamp(tsa.url, checkpoint);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.serial).not.toBe(b.serial);
  });

  it('stamps a digest computed elsewhere (for data streamed through SHA-256), checkable with openssl ts -verify -digest', async () => {
    const digest = timeStampDigest(checkpoint);
    const stamp = await requestTimeStamp(tsa.url, { sha256: digest });
    expect(reviewerVerify(save('digest.tsr', stamp.token), ['-digest', digest.toString('hex')]).status).toBe(0);
  });

  it('asks for a policy and holds the TSA to it; a policy the TSA does not have is its refusal, quoted', async () => {
    expect((await requestTimeStamp(tsa.url, checkpoint, { policy: TSA_OTHER_POLICY })).policy).toBe(TSA_OTHER_POLICY);
    const e = await refusal(requestTimeStamp(tsa.url, checkpoint, { policy: '1.2.3.4.5' }));
    expect(e.code).toBe('check-failed');
    expect(e.message).toMatch(/refuses the request: rejection \(.*unacceptedPolicy/);
  });

  it('refuses a reply that stamps other data', async () => {
    tsa.setMode({ kind: 'reply-to', query: ['-digest', timeStampDigest('other').toString('hex'), '-sha256', '-cert'] });
    const e = await refusal(requestTimeStamp(tsa.url, checkpoint));
    expect(e.code).toBe('check-failed');
    expect(e.message).toContain(`stamps other data than requested: its imprint is ${timeStampDigest('other').toString('hex')}`);
  });

  it('refuses a reply to another request for the same data (another nonce), and one with no nonce', async () => {
    const digest = timeStampDigest(checkpoint).toString('hex');
    tsa.setMode({ kind: 'reply-to', query: ['-digest', digest, '-sha256', '-cert'] });
    expect((await refusal(requestTimeStamp(tsa.url, checkpoint))).message).toMatch(/answers another request: its nonce is 0x[0-9A-F]+, the request's 0x[0-9A-F]+\./);
    tsa.setMode({ kind: 'reply-to', query: ['-digest', digest, '-sha256', '-cert', '-no_nonce'] });
    expect((await refusal(requestTimeStamp(tsa.url, checkpoint))).message).toContain('has no nonce, so it cannot be told from a replayed token.');
  });

  it("refuses a token without the TSA's certificate when the request asked for it", async () => {
    // The TSA answers the very request, nonce and all, with certReq (the trailing BOOLEAN TRUE, 01 01 ff) dropped.
    tsa.setMode({
      kind: 'rewrite',
      query: (q) => {
        expect(q.subarray(-3).equals(Buffer.of(0x01, 0x01, 0xff))).toBe(true);
        return Buffer.concat([Buffer.of(0x30, (q[1] as number) - 3), q.subarray(2, -3)]);
      },
    });
    expect((await refusal(requestTimeStamp(tsa.url, checkpoint))).message).toContain("omits the TSA's certificate that the request asked for.");
  });

  it('refuses what is not a TimeStampResp, and says what the server sent', async () => {
    tsa.setMode({ kind: 'raw', body: Buffer.from('<html>login</html>') });
    const e = await refusal(requestTimeStamp(tsa.url, checkpoint));
    expect(e.code).toBe('check-failed');
    expect(e.message).toMatch(/^the reply of http:\/\/127\.0\.0\.1:\d+\/tsa \(application\/timestamp-reply\) is not a TimeStampResp: /);
  });

  it('reports an HTTP error, an unreachable TSA and a bad URL as such', async () => {
    tsa.setMode({ kind: 'http', status: 503 });
    const http = await refusal(requestTimeStamp(tsa.url, checkpoint));
    expect(http.code).toBe('unavailable');
    expect(http.message).toBe(`The time-stamping authority at ${tsa.url} answered HTTP 503 Service Unavailable.`);

    const closed = await startLocalTsa(mkdirSync(join(dir.path, 'closed'), { recursive: true }) as string);
    await closed.close();
    const down = await refusal(requestTimeStamp(closed.url, checkpoint, { timeoutMs: 5000 }));
    expect(down.code).toBe('unavailable');
    expect(down.message).toMatch(/could not be reached: .*ECONNREFUSED/);

    expect((await refusal(requestTimeStamp('ftp://tsa.example/', checkpoint))).message).toBe('The time-stamping authority URL "ftp://tsa.example/" must be http or https.');
    expect((await refusal(requestTimeStamp('tsa.example', checkpoint))).code).toBe('bad-input');
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await refusal(requestTimeStamp(tsa.url, checkpoint, { signal: controller.signal }))).code).toBe('cancelled');
  });
});
