/**
 * A Cloud Logging stand-in for tests: the real @googleapis/logging client talks to it over HTTP on 127.0.0.1
 * (`POST /v2/entries:list`). It checks the bearer token, applies the parts of the Logging query language that
 * Firebreak sends (`logName:"..."`, a `timestamp` window, `protoPayload.authenticationInfo.principalEmail="..."`),
 * orders by timestamp, pages with `nextPageToken`, and can be told to answer 429 RESOURCE_EXHAUSTED or to refuse a
 * page token as expired. Every entry is served whatever the project: the records come from several recorded projects.
 * It also answers the STS token exchange at `/v1/token`, so application default credentials of the external_account
 * kind (workload identity federation) can be pointed at it by a credentials file.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface GcpServerOptions {
  entries: Array<Record<string, unknown>>;
  token: string;
  /** The most entries a page holds here (the client may ask for fewer). */
  pageSize: number;
  latencyMs?: number;
}

export interface GcpRequest {
  at: number;
  body: { resourceNames?: string[]; filter?: string; orderBy?: string; pageSize?: number; pageToken?: string };
  status: number;
  response: string;
}

export interface GcpTestServer {
  url: string;
  requests: GcpRequest[];
  /** The next n requests get 429 RESOURCE_EXHAUSTED. */
  throttleNext(n: number): void;
  /** The next request that carries a page token is refused as expired (400 INVALID_ARGUMENT). */
  expireNextPageToken(): void;
  /** The next request that carries a page token gets this error. */
  failNextPage(code: number, status: string, message: string): void;
  close(): Promise<void>;
}

const TERM = /^(logName:"([^"]+)"|timestamp(>=|<=|>|<)"([^"]+)"|protoPayload\.authenticationInfo\.principalEmail="((?:[^"\\]|\\.)+)")$/;

/** The query as a predicate, or the term it cannot read. */
function predicate(filter: string): ((e: Record<string, unknown>) => boolean) | string {
  const tests: Array<(e: Record<string, unknown>) => boolean> = [];
  for (const term of filter.split(' AND ')) {
    const m = TERM.exec(term.trim());
    if (!m) return term;
    if (m[2] !== undefined) {
      const part = m[2];
      tests.push((e) => String(e.logName ?? '').includes(encodeURIComponent(part)) || String(e.logName ?? '').includes(part));
    } else if (m[3] !== undefined) {
      const [op, at] = [m[3], Date.parse(m[4] as string)];
      tests.push((e) => {
        const t = Date.parse(String(e.timestamp));
        return op === '>=' ? t >= at : op === '<=' ? t <= at : op === '>' ? t > at : t < at;
      });
    } else {
      const email = (m[5] as string).replace(/\\(.)/g, '$1');
      tests.push((e) => ((e.protoPayload as { authenticationInfo?: { principalEmail?: string } } | undefined)?.authenticationInfo?.principalEmail ?? null) === email);
    }
  }
  return (e) => tests.every((t) => t(e));
}

export async function startGcpLoggingServer(o: GcpServerOptions): Promise<GcpTestServer> {
  const requests: GcpRequest[] = [];
  let throttle = 0;
  let expire = false;
  let failure: { code: number; status: string; message: string } | null = null;
  const send = (res: ServerResponse, rec: GcpRequest, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    rec.status = status;
    rec.response = text;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(text);
  };
  const error = (code: number, status: string, message: string) => ({ error: { code, message, status } });
  const handle = (request: IncomingMessage, raw: string, res: ServerResponse) => {
    let body: GcpRequest['body'];
    try {
      body = raw ? (JSON.parse(raw) as GcpRequest['body']) : {};
    } catch {
      body = {};
    }
    const rec: GcpRequest = { at: Date.now(), body, status: 0, response: '' };
    requests.push(rec);
    if (request.method === 'POST' && request.url === '/v1/token') {
      // Workload identity federation's token exchange (STS), for application default credentials of type external_account.
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange' || !form.get('subject_token')) {
        return send(res, rec, 400, { error: 'invalid_request', error_description: 'not a token exchange' });
      }
      return send(res, rec, 200, { access_token: o.token, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 });
    }
    if (request.method !== 'POST' || !request.url?.startsWith('/v2/entries:list')) return send(res, rec, 404, error(404, 'NOT_FOUND', `No route ${request.method} ${request.url}`));
    if (request.headers.authorization !== `Bearer ${o.token}`) return send(res, rec, 401, error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
    if (throttle > 0) {
      throttle--;
      return send(res, rec, 429, error(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Read requests' of service 'logging.googleapis.com'."));
    }
    if (!body.resourceNames?.length) return send(res, rec, 400, error(400, 'INVALID_ARGUMENT', 'resourceNames is required'));
    const test = predicate(body.filter ?? '');
    if (typeof test === 'string') return send(res, rec, 400, error(400, 'INVALID_ARGUMENT', `Unparseable filter term: ${test}`));
    if (body.pageToken && failure) {
      const f = failure;
      failure = null;
      return send(res, rec, f.code, error(f.code, f.status, f.message));
    }
    if (body.pageToken && expire) {
      expire = false;
      return send(res, rec, 400, error(400, 'INVALID_ARGUMENT', 'page_token is invalid or expired'));
    }
    const desc = body.orderBy === 'timestamp desc';
    const matching = o.entries.filter(test).sort((a, b) => (Date.parse(String(a.timestamp)) - Date.parse(String(b.timestamp))) * (desc ? -1 : 1));
    const offset = body.pageToken ? Number(Buffer.from(body.pageToken, 'base64url').toString('utf8').replace('offset:', '')) : 0;
    const size = Math.min(o.pageSize, body.pageSize ?? o.pageSize);
    const page = matching.slice(offset, offset + size);
    const more = offset + size < matching.length;
    send(res, rec, 200, { entries: page, ...(more ? { nextPageToken: Buffer.from(`offset:${offset + size}`).toString('base64url') } : {}) });
  };
  const server = createServer((request, res) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (o.latencyMs) setTimeout(() => handle(request, raw, res), o.latencyMs);
      else handle(request, raw, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    throttleNext: (n) => {
      throttle = n;
    },
    expireNextPageToken: () => {
      expire = true;
    },
    failNextPage: (code, status, message) => {
      failure = { code, status, message };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Application default credentials as workload identity federation writes them (a subject token in a file, exchanged
 * at the token URL, here the test server's, for the access token the client sends). Returns the credentials file.
 */
export function externalAccountCredentials(dir: string, serverUrl: string): string {
  const subject = join(dir, 'subject-token.jwt');
  writeFileSync(subject, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.');
  const file = join(dir, 'adc.json');
  writeFileSync(
    file,
    JSON.stringify({
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/firebreak-test/providers/file',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${serverUrl}/v1/token`,
      credential_source: { file: subject },
    }),
  );
  return file;
}
