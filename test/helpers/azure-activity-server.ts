/**
 * An Azure Resource Manager stand-in for tests: the real @azure/arm-monitor talks to it over HTTPS on 127.0.0.1 (the
 * SDK's bearer-token policy refuses plain http), with a certificate made here by `openssl` that the test trusts. It
 * answers ActivityLogs.list (`GET /subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values`),
 * checks the bearer token, applies the OData $filter Azure accepts (eventTimestamp window, resourceGroupName, caller),
 * pages newest first with an absolute `nextLink` carrying a $skiptoken, and can be told to throttle (429 + Retry-After)
 * or to refuse a skiptoken as expired.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface AzureServerOptions {
  /** REST-shape activity-log records (`value[]` items). */
  records: Array<Record<string, unknown>>;
  token: string;
  pageSize: number;
  /** A folder for the key and certificate. */
  dir: string;
  /** Delay before each answer, so a test can interrupt a pull mid-way. */
  latencyMs?: number;
}

export interface AzureRequest {
  at: number;
  path: string;
  filter: string | null;
  skiptoken: string | null;
  status: number;
  response: string;
}

export interface AzureTestServer {
  url: string;
  /** The server's certificate (PEM), to be trusted by the client. */
  ca: string;
  requests: AzureRequest[];
  /** The next n requests get 429 with `Retry-After: seconds`. */
  throttleNext(n: number, seconds: number): void;
  /** The next request that carries a $skiptoken is refused as expired (400). */
  expireNextSkiptoken(): void;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, valid one day. */
export function makeCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'server-key.pem');
  const cert = join(dir, 'server-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
    stdio: 'ignore',
  });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

const FILTER =
  /^eventTimestamp ge '([^']+)' and eventTimestamp le '([^']+)'(?: and resourceGroupName eq '((?:[^']|'')+)')?(?: and caller eq '((?:[^']|'')+)')?$/;
const unquote = (s: string | undefined) => (s === undefined ? null : s.replace(/''/g, "'"));

export async function startAzureActivityServer(o: AzureServerOptions): Promise<AzureTestServer> {
  const { key, cert } = makeCertificate(o.dir);
  const requests: AzureRequest[] = [];
  let throttle = { n: 0, seconds: 0 };
  let expire = false;
  let url = '';
  const send = (res: ServerResponse, req: AzureRequest, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    req.status = status;
    req.response = text;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  };
  const handle = (request: IncomingMessage, res: ServerResponse) => {
    const u = new URL(request.url ?? '/', url);
    const rec: AzureRequest = { at: Date.now(), path: u.pathname, filter: u.searchParams.get('$filter'), skiptoken: u.searchParams.get('$skiptoken'), status: 0, response: '' };
    requests.push(rec);
    const route = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/eventtypes\/management\/values$/i.exec(u.pathname);
    if (!route || request.method !== 'GET') return send(res, rec, 404, { error: { code: 'NotFound', message: `No route ${request.method} ${u.pathname}` } });
    if (request.headers.authorization !== `Bearer ${o.token}`) {
      return send(res, rec, 401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    }
    if (u.searchParams.get('api-version') !== '2015-04-01') return send(res, rec, 400, { error: { code: 'InvalidApiVersionParameter', message: 'api-version 2015-04-01 is required' } });
    if (throttle.n > 0) {
      throttle.n--;
      return send(res, rec, 429, { error: { code: 'TooManyRequests', message: 'Rate limit exceeded' } }, { 'retry-after': String(throttle.seconds) });
    }
    const m = FILTER.exec(rec.filter ?? '');
    if (!m) return send(res, rec, 400, { error: { code: 'BadRequest', message: `The $filter "${rec.filter}" is not one Azure accepts.` } });
    if (rec.skiptoken !== null && expire) {
      expire = false;
      return send(res, rec, 400, { error: { code: 'InvalidSkipToken', message: 'The skip token has expired.' } });
    }
    const [from, to] = [Date.parse(m[1] as string), Date.parse(m[2] as string)];
    const group = unquote(m[3])?.toLowerCase();
    const caller = unquote(m[4]);
    const matching = o.records
      .filter((r) => {
        const t = Date.parse(String(r.eventTimestamp));
        const id = String(r.resourceId ?? '');
        return t >= from && t <= to && (!group || id.toLowerCase().includes(`/resourcegroups/${group}/`)) && (!caller || r.caller === caller);
      })
      .sort((a, b) => Date.parse(String(b.eventTimestamp)) - Date.parse(String(a.eventTimestamp)));
    const offset = Number(rec.skiptoken ?? 0);
    const page = matching.slice(offset, offset + o.pageSize);
    const next = offset + o.pageSize < matching.length ? offset + o.pageSize : null;
    const body: Record<string, unknown> = { value: page };
    if (next !== null) {
      const link = new URL(u.pathname, url);
      link.searchParams.set('api-version', '2015-04-01');
      link.searchParams.set('$filter', rec.filter as string);
      link.searchParams.set('$skiptoken', String(next));
      body.nextLink = link.toString();
    }
    send(res, rec, 200, body);
  };
  const server = createServer({ key, cert }, (request, res) => {
    request.resume();
    request.on('end', () => (o.latencyMs ? setTimeout(() => handle(request, res), o.latencyMs) : handle(request, res)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ca: cert,
    requests,
    throttleNext: (n, seconds) => {
      throttle = { n, seconds };
    },
    expireNextSkiptoken: () => {
      expire = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
