import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs openssl synchronously for setup; throws with its stderr when it fails. */
export function openssl(args: string[], options: { cwd?: string; input?: Buffer } = {}): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('openssl', args, { cwd: options.cwd, input: options.input, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const must = (args: string[], cwd: string) => {
  const r = openssl(args, { cwd });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
};

export const TSA_POLICY = '1.3.6.1.4.1.55555.1.1';
export const TSA_OTHER_POLICY = '1.3.6.1.4.1.55555.1.2';

/**
 * What the TSA does with the next requests:
 * - `honest`: `openssl ts -reply` to the request as sent;
 * - `reply-to`: answers an `openssl ts -query` made with these arguments instead (another digest, another nonce,
 *   no nonce), as a confused or replaying TSA would;
 * - `rewrite`: replies to the request as this function changes it;
 * - `raw`: sends these bytes; `http`: answers with this HTTP status.
 */
export type TsaMode = { kind: 'honest' } | { kind: 'reply-to'; query: string[] } | { kind: 'rewrite'; query: (q: Buffer) => Buffer } | { kind: 'raw'; body: Buffer } | { kind: 'http'; status: number };

/**
 * A time-stamping authority on 127.0.0.1 made of stock OpenSSL: a CA, a TSA certificate with extendedKeyUsage
 * critical,timeStamping, and `openssl ts -reply` run for each POSTed request.
 */
export async function startLocalTsa(dir: string) {
  must(['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Firebreak Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  must(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Firebreak Test TSA'], dir);
  writeFileSync(join(dir, 'tsa-ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  must(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '2', '-extfile', 'tsa-ext.cnf'], dir);
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config',
      '[ tsa_config ]',
      `serial = ${join(dir, 'serial')}`,
      'crypto_device = builtin',
      `signer_cert = ${join(dir, 'tsa.pem')}`,
      `signer_key = ${join(dir, 'tsa.key')}`,
      `certs = ${join(dir, 'ca.pem')}`,
      'signer_digest = sha256',
      `default_policy = ${TSA_POLICY}`,
      `other_policies = ${TSA_OTHER_POLICY}`,
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );

  let mode: TsaMode = { kind: 'honest' };
  let n = 0;
  const requests: Buffer[] = [];
  const reply = async (query: Buffer): Promise<Buffer> => {
    const i = ++n;
    const queryFile = join(dir, `q${i}.tsq`);
    if (mode.kind === 'reply-to') await run('openssl', ['ts', '-query', ...mode.query, '-out', queryFile], { cwd: dir });
    else writeFileSync(queryFile, mode.kind === 'rewrite' ? mode.query(query) : query);
    const replyFile = join(dir, `r${i}.tsr`);
    await run('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', queryFile, '-out', replyFile], { cwd: dir });
    return readFileSync(replyFile);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push(body);
      const send = (status: number, data: Buffer, type = 'application/timestamp-reply') => {
        res.writeHead(status, { 'content-type': type, 'content-length': data.length });
        res.end(data);
      };
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') return send(415, Buffer.from('POST application/timestamp-query\n'), 'text/plain');
      if (mode.kind === 'http') return send(mode.status, Buffer.from('TSA unavailable\n'), 'text/plain');
      if (mode.kind === 'raw') return send(200, mode.body);
      reply(body).then(
        (data) => send(200, data),
        (e: Error) => send(500, Buffer.from(e.message), 'text/plain'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caPath: join(dir, 'ca.pem'),
    tsaCertPath: join(dir, 'tsa.pem'),
    /** The bodies POSTed so far. */
    requests,
    setMode(next: TsaMode) {
      mode = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
