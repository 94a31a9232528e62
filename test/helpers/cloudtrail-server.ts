/**
 * A CloudTrail-compatible HTTP server for tests: the real @aws-sdk/client-cloudtrail talks to it over HTTP on
 * 127.0.0.1 (awsJson1.1, `X-Amz-Target: CloudTrail_20131101.*`). It checks the SigV4 Authorization header's access key
 * id, enforces one lookup attribute per call and 2 requests per second per region (ThrottlingException), pages with
 * NextToken (at most 50 results), and can be told to fail the next requests with a given error.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PublicKey {
  Value: string;
  Fingerprint: string;
  ValidityStartTime: string;
  ValidityEndTime: string;
}

export interface ServerOptions {
  events: Array<Record<string, unknown>>;
  accessKeys: string[];
  publicKeys?: PublicKey[];
  pageSize?: number;
  /** Requests per second per region before ThrottlingException; 0 disables the limit. */
  rateLimit?: number;
  /** Delay before each answer, to let tests interrupt a pull mid-way. */
  latencyMs?: number;
}

export interface RecordedRequest {
  at: number;
  region: string;
  target: string;
  accessKeyId: string | null;
  body: Record<string, unknown>;
  status: number;
  errorType: string | null;
  /** The response body sent. */
  response: string;
}

export interface InjectedError {
  status: number;
  type: string;
  message: string;
}

export interface CloudTrailTestServer {
  url: string;
  requests: RecordedRequest[];
  /** The next n requests (any region) fail with this error. */
  failNext(n: number, error: InjectedError): void;
  close(): Promise<void>;
}

const epoch = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000);

/** What Event history calls the user name: the IAM user, the role session, or root. */
export function usernameOf(rec: Record<string, unknown>): string | null {
  const ui = (rec.userIdentity ?? {}) as Record<string, unknown>;
  if (ui.type === 'Root') return 'root';
  if (ui.type === 'AssumedRole' && typeof ui.arn === 'string') return ui.arn.slice(ui.arn.lastIndexOf('/') + 1);
  return typeof ui.userName === 'string' ? ui.userName : null;
}

function matches(rec: Record<string, unknown>, key: string, value: string): boolean {
  const ui = (rec.userIdentity ?? {}) as Record<string, unknown>;
  switch (key) {
    case 'EventName':
      return rec.eventName === value;
    case 'EventId':
      return rec.eventID === value;
    case 'EventSource':
      return rec.eventSource === value;
    case 'Username':
      return usernameOf(rec) === value;
    case 'AccessKeyId':
      return ui.accessKeyId === value;
    case 'ReadOnly':
      return String(rec.readOnly) === value;
    case 'ResourceName':
      return JSON.stringify(rec.requestParameters ?? {}).includes(value);
    default:
      return false;
  }
}

export async function startCloudTrailServer(o: ServerOptions): Promise<CloudTrailTestServer> {
  const requests: RecordedRequest[] = [];
  const injected: InjectedError[] = [];
  const pageSize = Math.min(o.pageSize ?? 50, 50);
  const rateLimit = o.rateLimit ?? 2;
  const byRegion = new Map<string, number[]>();

  const reply = (res: ServerResponse, rec: RecordedRequest, status: number, body: unknown, errorType: string | null = null) => {
    rec.status = status;
    rec.errorType = errorType;
    const text = JSON.stringify(body);
    rec.response = text;
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const error = (res: ServerResponse, rec: RecordedRequest, status: number, type: string, message: string) => reply(res, rec, status, { __type: type, message }, type);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const auth = String(req.headers.authorization ?? '');
    const cred = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    const target = String(req.headers['x-amz-target'] ?? '');
    let body: Record<string, unknown>;
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    const rec: RecordedRequest = { at: Date.now(), region: cred?.[2] ?? '', target, accessKeyId: cred?.[1] ?? null, body, status: 0, errorType: null, response: '' };
    requests.push(rec);
    if (o.latencyMs) await new Promise((r) => setTimeout(r, o.latencyMs));
    if (req.method !== 'POST' || !/^AWS4-HMAC-SHA256 /.test(auth) || !cred) return error(res, rec, 400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (!o.accessKeys.includes(cred[1] as string)) return error(res, rec, 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (cred[3] !== 'cloudtrail') return error(res, rec, 400, 'InvalidSignatureException', 'Credential should be scoped to correct service');
    const next = injected.shift();
    if (next) return error(res, rec, next.status, next.type, next.message);
    if (rateLimit > 0) {
      const times = (byRegion.get(rec.region) ?? []).filter((t) => rec.at - t < 950);
      if (times.length >= rateLimit) return error(res, rec, 400, 'ThrottlingException', 'Rate exceeded');
      times.push(rec.at);
      byRegion.set(rec.region, times);
    }
    if (target === 'CloudTrail_20131101.ListPublicKeys') {
      return reply(res, rec, 200, {
        PublicKeyList: (o.publicKeys ?? []).map((k) => ({ ...k, ValidityStartTime: epoch(k.ValidityStartTime), ValidityEndTime: epoch(k.ValidityEndTime) })),
      });
    }
    if (target !== 'CloudTrail_20131101.LookupEvents') return error(res, rec, 400, 'UnknownOperationException', `unknown operation ${target}`);
    const attrs = (body.LookupAttributes ?? []) as Array<{ AttributeKey: string; AttributeValue: string }>;
    if (attrs.length > 1) return error(res, rec, 400, 'InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    const max = Number(body.MaxResults ?? 50);
    if (max < 1 || max > 50) return error(res, rec, 400, 'InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    const start = Number(body.StartTime ?? 0);
    const end = Number(body.EndTime ?? Date.now() / 1000);
    if (start > end) return error(res, rec, 400, 'InvalidTimeRangeException', 'StartTime must be before EndTime.');
    const query = JSON.stringify([rec.region, attrs, start, end]);
    let offset = 0;
    if (body.NextToken) {
      try {
        const t = JSON.parse(Buffer.from(String(body.NextToken), 'base64').toString('utf8')) as { q: string; o: number };
        if (t.q !== query) throw new Error('other query');
        offset = t.o;
      } catch {
        return error(res, rec, 400, 'InvalidNextTokenException', 'Invalid NextToken.');
      }
    }
    const attr = attrs[0];
    const found = o.events
      .filter((e) => e.awsRegion === rec.region && epoch(e.eventTime) >= start && epoch(e.eventTime) <= end && (!attr || matches(e, attr.AttributeKey, attr.AttributeValue)))
      .sort((a, b) => epoch(b.eventTime) - epoch(a.eventTime) || String(a.eventID).localeCompare(String(b.eventID)));
    const size = Math.min(max, pageSize);
    const page = found.slice(offset, offset + size);
    const more = offset + size < found.length;
    return reply(res, rec, 200, {
      Events: page.map((e) => ({
        EventId: e.eventID,
        EventName: e.eventName,
        ReadOnly: String(e.readOnly ?? 'false'),
        AccessKeyId: ((e.userIdentity ?? {}) as Record<string, unknown>).accessKeyId,
        EventTime: epoch(e.eventTime),
        EventSource: e.eventSource,
        Username: usernameOf(e),
        Resources: [],
        CloudTrailEvent: JSON.stringify(e),
      })),
      ...(more ? { NextToken: Buffer.from(JSON.stringify({ q: query, o: offset + size })).toString('base64') } : {}),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: String(e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (n, e) => {
      for (let i = 0; i < n; i++) injected.push(e);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
