/**
 * An IAM-compatible HTTP server for tests: the real @aws-sdk/client-iam talks to it over HTTP on 127.0.0.1 with IAM's
 * query protocol (form-encoded `Action=...&Version=2010-05-08`, SigV4-signed) and gets XML answers as IAM sends them:
 * lists as `<member>`, policy documents URL-encoded, the credential report base64, paging with `Marker`/`IsTruncated`,
 * and errors as `<ErrorResponse>`. It checks the access key id, can throttle the first call of chosen actions, and
 * records what it was asked.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface IamRole {
  role: Json;
  /** Inline policies by name; PutRolePolicy and DeleteRolePolicy change them. */
  inline: Record<string, unknown>;
  attached: Array<{ PolicyName: string; PolicyArn: string }>;
}

export interface IamManagedPolicy {
  name: string;
  defaultVersion: string;
  document: unknown;
}

export interface IamServerOptions {
  accessKeys: string[];
  roles: Record<string, IamRole>;
  policies: Record<string, IamManagedPolicy>;
  credentialReportCsv: string;
  lastAccessed: Array<{ ServiceName: string; ServiceNamespace: string; LastAuthenticated?: string }>;
  /** Users with their inline policies and access keys; UpdateAccessKey changes a key's status. */
  users?: Record<string, { user: Json; inline: Record<string, unknown>; keys: Array<{ AccessKeyId: string; Status: string; CreateDate: string }> }>;
  /** Items per page for the list calls. */
  pageSize?: number;
  /** The first call of each of these actions is answered 400 Throttling. */
  throttleOnce?: string[];
  /** Calls of these actions are answered 403 AccessDenied. */
  deny?: string[];
  /** Polls before GenerateCredentialReport says COMPLETE and the last-accessed job leaves IN_PROGRESS. */
  pollsUntilReady?: number;
}

export interface IamRequest {
  action: string;
  params: Record<string, string>;
  status: number;
  accessKeyId: string | null;
}

export interface IamTestServer {
  url: string;
  requests: IamRequest[];
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xml(name: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `<${name}>${v.map((m) => xml('member', m)).join('')}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v as Json).map(([k, x]) => xml(k, x)).join('')}</${name}>`;
  return `<${name}>${esc(String(v))}</${name}>`;
}

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

export async function startIamServer(o: IamServerOptions): Promise<IamTestServer> {
  const requests: IamRequest[] = [];
  const throttled = new Set<string>();
  const polls = new Map<string, number>();
  const pageSize = o.pageSize ?? 100;

  const page = <T>(items: T[], marker: string | undefined, key: string): Json => {
    const start = marker ? Number(Buffer.from(marker, 'base64').toString()) : 0;
    const slice = items.slice(start, start + pageSize);
    const more = start + pageSize < items.length;
    return { [key]: slice, IsTruncated: more, ...(more ? { Marker: Buffer.from(String(start + pageSize)).toString('base64') } : {}) };
  };

  const ready = (what: string) => {
    const n = (polls.get(what) ?? 0) + 1;
    polls.set(what, n);
    return n > (o.pollsUntilReady ?? 1);
  };

  const role = (p: Record<string, string>) => {
    const r = o.roles[p.RoleName ?? ''];
    if (!r) throw Object.assign(new Error(`The role with name ${p.RoleName} cannot be found.`), { code: 'NoSuchEntity', status: 404 });
    return r;
  };

  const user = (p: Record<string, string>) => {
    const u = o.users?.[p.UserName ?? ''];
    if (!u) throw Object.assign(new Error(`The user with name ${p.UserName} cannot be found.`), { code: 'NoSuchEntity', status: 404 });
    return u;
  };

  const answer = (action: string, p: Record<string, string>): Json => {
    switch (action) {
      case 'GetRole': {
        const r = role(p);
        return { Role: { ...r.role, AssumeRolePolicyDocument: encoded(r.role.AssumeRolePolicyDocument) } };
      }
      case 'ListRolePolicies':
        return page(Object.keys(role(p).inline), p.Marker, 'PolicyNames');
      case 'GetRolePolicy':
        return { RoleName: p.RoleName, PolicyName: p.PolicyName, PolicyDocument: encoded(role(p).inline[p.PolicyName ?? '']) };
      case 'ListAttachedRolePolicies':
        return page(role(p).attached, p.Marker, 'AttachedPolicies');
      case 'GetPolicy': {
        const pol = o.policies[p.PolicyArn ?? ''];
        if (!pol) throw Object.assign(new Error(`Policy ${p.PolicyArn} was not found.`), { code: 'NoSuchEntity', status: 404 });
        return { Policy: { PolicyName: pol.name, Arn: p.PolicyArn, DefaultVersionId: pol.defaultVersion, AttachmentCount: 1, IsAttachable: true } };
      }
      case 'GetPolicyVersion': {
        const pol = o.policies[p.PolicyArn ?? ''];
        if (!pol || p.VersionId !== pol.defaultVersion) throw Object.assign(new Error('No such version.'), { code: 'NoSuchEntity', status: 404 });
        return { PolicyVersion: { Document: encoded(pol.document), VersionId: pol.defaultVersion, IsDefaultVersion: true, CreateDate: '2026-01-01T00:00:00Z' } };
      }
      case 'GenerateCredentialReport':
        return ready('report') ? { State: 'COMPLETE' } : { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
      case 'GetCredentialReport':
        return { Content: Buffer.from(o.credentialReportCsv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-12-01T10:30:00Z' };
      case 'GenerateServiceLastAccessedDetails':
        return { JobId: 'job-0001' };
      case 'GetServiceLastAccessedDetails':
        return ready('job')
          ? { JobStatus: 'COMPLETED', JobType: 'SERVICE_LEVEL', JobCreationDate: '2026-12-01T10:30:00Z', JobCompletionDate: '2026-12-01T10:30:05Z', ServicesLastAccessed: o.lastAccessed, IsTruncated: false }
          : { JobStatus: 'IN_PROGRESS', JobCreationDate: '2026-12-01T10:30:00Z', ServicesLastAccessed: [], IsTruncated: false };
      case 'PutRolePolicy':
        role(p).inline[p.PolicyName ?? ''] = JSON.parse(p.PolicyDocument ?? 'null');
        return {};
      case 'DeleteRolePolicy': {
        const r = role(p);
        if (!((p.PolicyName ?? '') in r.inline)) throw Object.assign(new Error(`The role policy with name ${p.PolicyName} cannot be found.`), { code: 'NoSuchEntity', status: 404 });
        delete r.inline[p.PolicyName ?? ''];
        return {};
      }
      case 'GetUser':
        return { User: user(p).user };
      case 'ListUserPolicies':
        return page(Object.keys(user(p).inline), p.Marker, 'PolicyNames');
      case 'ListAttachedUserPolicies':
        return page([], p.Marker, 'AttachedPolicies');
      case 'ListGroupsForUser':
        return page([], p.Marker, 'Groups');
      case 'ListAccessKeys':
        return page(user(p).keys.map((k) => ({ UserName: p.UserName, ...k })), p.Marker, 'AccessKeyMetadata');
      case 'PutUserPolicy':
        user(p).inline[p.PolicyName ?? ''] = JSON.parse(p.PolicyDocument ?? 'null');
        return {};
      case 'DeleteUserPolicy':
        delete user(p).inline[p.PolicyName ?? ''];
        return {};
      case 'UpdateAccessKey': {
        const key = user(p).keys.find((k) => k.AccessKeyId === p.AccessKeyId);
        if (!key) throw Object.assign(new Error(`The Access Key with id ${p.AccessKeyId} cannot be found.`), { code: 'NoSuchEntity', status: 404 });
        key.Status = p.Status ?? key.Status;
        return {};
      }
      default:
        throw Object.assign(new Error(`Could not find operation ${action}`), { code: 'InvalidAction', status: 400 });
    }
  };

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
    res.end(body);
  };
  const error = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const action = params.Action ?? '';
      const accessKeyId = /Credential=([A-Z0-9]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? null;
      const record = (status: number) => requests.push({ action, params, status, accessKeyId });
      if (!accessKeyId || !o.accessKeys.includes(accessKeyId)) {
        record(403);
        return error(res, 403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      }
      if (o.deny?.includes(action)) {
        record(403);
        return error(res, 403, 'AccessDenied', `User is not authorized to perform: iam:${action}`);
      }
      if (o.throttleOnce?.includes(action) && !throttled.has(action)) {
        throttled.add(action);
        record(400);
        return error(res, 400, 'Throttling', 'Rate exceeded');
      }
      try {
        const result = answer(action, params);
        record(200);
        send(res, 200, `<${action}Response xmlns="${NS}">${xml(`${action}Result`, result)}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
      } catch (e) {
        const err = e as Error & { code: string; status: number };
        record(err.status);
        error(res, err.status, err.code, err.message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
