/**
 * `iam capture`: the agent's identity as IAM holds it now, read before anything is revoked. Every response is kept as
 * evidence in the order fetched: the role or user, its inline policies, its attached policies with their default
 * versions, its groups (for a user) with theirs, its permissions boundary, its access keys, the credential report
 * (generated, waited for, fetched) and service last-accessed data where IAM allows it.
 */
import type { IamCaptureResult } from '../../../shared/iam';
import type { CoreContext } from '../../context';
import { FirebreakError } from '../../errors';
import { type SourceFile, recordSources, requireIncident } from '../snapshot-store';
import { type IamCommand, IamReader, isRefused } from './iam-client';

export interface CaptureInput {
  incidentId: string;
  role?: string | undefined;
  user?: string | undefined;
  profile?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
}

export interface CaptureOptions {
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Waits between polls of the credential report and last-accessed jobs; tests shorten them for a local endpoint. */
  pollMs?: number;
  maxPolls?: number;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Capture {
  readonly files: SourceFile[] = [];
  readonly skipped: string[] = [];
  calls = 0;

  constructor(
    readonly iam: IamReader,
    private readonly o: CaptureOptions,
  ) {}

  /** One call whose answer is kept, named in fetch order. */
  async keep(command: IamCommand, what: string, binding: string | null): Promise<Json> {
    this.o.onProgress?.(what);
    const out = await this.iam.send(command, what);
    this.calls++;
    const n = String(this.files.length + 1).padStart(3, '0');
    this.files.push({ name: `iam-capture-${n}-${what.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`, text: `${JSON.stringify(out, null, 2)}\n`, binding });
    return out;
  }

  /** A listing, every page kept (IAM pages with Marker and IsTruncated). */
  async pages(make: (marker: string | undefined) => IamCommand, what: string, binding: string | null, items: string): Promise<Json[]> {
    const all: Json[] = [];
    let marker: string | undefined;
    for (let page = 1; ; page++) {
      const out = await this.keep(make(marker), `${what}${page > 1 ? `-page${page}` : ''}`, binding);
      all.push(...((out[items] as Json[] | undefined) ?? []));
      marker = out.IsTruncated === true ? (str(out.Marker) ?? undefined) : undefined;
      if (!marker) return all;
    }
  }

  /** A read the capture can do without: refused is noted, not fatal. */
  async optional<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (e) {
      if (!isRefused(e)) throw e;
      this.skipped.push(`${what}: ${(e as Error).message}`);
      return null;
    }
  }

  async poll(what: string, call: () => Promise<Json>, done: (out: Json) => boolean): Promise<boolean> {
    for (let i = 0; i < (this.o.maxPolls ?? 30); i++) {
      const out = await call();
      this.calls++;
      if (done(out)) return true;
      this.o.onProgress?.(`${what}: waiting`);
      await sleep(this.o.pollMs ?? 2000);
    }
    this.skipped.push(`${what}: not ready after ${this.o.maxPolls ?? 30} polls`);
    return false;
  }
}

async function policyDocuments(c: Capture, arns: readonly string[]): Promise<void> {
  const C = c.iam.sdk;
  for (const arn of arns) {
    const p = await c.keep(new C.GetPolicyCommand({ PolicyArn: arn }), `GetPolicy-${arn.slice(arn.lastIndexOf('/') + 1)}`, null);
    const version = str((p.Policy as Json | undefined)?.DefaultVersionId);
    if (!version) throw new FirebreakError('unavailable', `GetPolicy ${arn} did not name a default version.`);
    await c.keep(new C.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version }), `GetPolicyVersion-${arn.slice(arn.lastIndexOf('/') + 1)}-${version}`, arn);
  }
}

async function captureRole(c: Capture, name: string): Promise<{ arn: string; policies: string[] }> {
  const C = c.iam.sdk;
  const role = (await c.keep(new C.GetRoleCommand({ RoleName: name }), `GetRole-${name}`, null)).Role as Json;
  const arn = str(role.Arn) as string;
  const names = await c.pages((Marker) => new C.ListRolePoliciesCommand({ RoleName: name, ...(Marker ? { Marker } : {}) }), `ListRolePolicies-${name}`, arn, 'PolicyNames');
  for (const p of names as unknown as string[]) await c.keep(new C.GetRolePolicyCommand({ RoleName: name, PolicyName: p }), `GetRolePolicy-${name}-${p}`, null);
  const attached = await c.pages((Marker) => new C.ListAttachedRolePoliciesCommand({ RoleName: name, ...(Marker ? { Marker } : {}) }), `ListAttachedRolePolicies-${name}`, arn, 'AttachedPolicies');
  const boundary = str((role.PermissionsBoundary as Json | undefined)?.PermissionsBoundaryArn);
  return { arn, policies: [...attached.map((a) => str(a.PolicyArn) as string), ...(boundary ? [boundary] : [])] };
}

async function captureUser(c: Capture, name: string): Promise<{ arn: string; policies: string[] }> {
  const C = c.iam.sdk;
  const user = (await c.keep(new C.GetUserCommand({ UserName: name }), `GetUser-${name}`, null)).User as Json;
  const arn = str(user.Arn) as string;
  const names = await c.pages((Marker) => new C.ListUserPoliciesCommand({ UserName: name, ...(Marker ? { Marker } : {}) }), `ListUserPolicies-${name}`, arn, 'PolicyNames');
  for (const p of names as unknown as string[]) await c.keep(new C.GetUserPolicyCommand({ UserName: name, PolicyName: p }), `GetUserPolicy-${name}-${p}`, null);
  const attached = await c.pages((Marker) => new C.ListAttachedUserPoliciesCommand({ UserName: name, ...(Marker ? { Marker } : {}) }), `ListAttachedUserPolicies-${name}`, arn, 'AttachedPolicies');
  const policies = attached.map((a) => str(a.PolicyArn) as string);
  const groups = await c.pages((Marker) => new C.ListGroupsForUserCommand({ UserName: name, ...(Marker ? { Marker } : {}) }), `ListGroupsForUser-${name}`, arn, 'Groups');
  for (const g of groups.map((x) => str(x.GroupName) as string)) {
    const gnames = await c.pages((Marker) => new C.ListGroupPoliciesCommand({ GroupName: g, ...(Marker ? { Marker } : {}) }), `ListGroupPolicies-${g}`, `group:${g}`, 'PolicyNames');
    for (const p of gnames as unknown as string[]) await c.keep(new C.GetGroupPolicyCommand({ GroupName: g, PolicyName: p }), `GetGroupPolicy-${g}-${p}`, null);
    const ga = await c.pages((Marker) => new C.ListAttachedGroupPoliciesCommand({ GroupName: g, ...(Marker ? { Marker } : {}) }), `ListAttachedGroupPolicies-${g}`, `group:${g}`, 'AttachedPolicies');
    policies.push(...ga.map((a) => str(a.PolicyArn) as string));
  }
  await c.pages((Marker) => new C.ListAccessKeysCommand({ UserName: name, ...(Marker ? { Marker } : {}) }), `ListAccessKeys-${name}`, arn, 'AccessKeyMetadata');
  const boundary = str((user.PermissionsBoundary as Json | undefined)?.PermissionsBoundaryArn);
  return { arn, policies: [...new Set([...policies, ...(boundary ? [boundary] : [])])] };
}

async function credentialReport(c: Capture): Promise<void> {
  const C = c.iam.sdk;
  const ready = await c.optional('credential report', () =>
    c.poll('GenerateCredentialReport', () => c.iam.send(new C.GenerateCredentialReportCommand({}), 'GenerateCredentialReport'), (o) => o.State === 'COMPLETE'),
  );
  if (ready) await c.optional('credential report', () => c.keep(new C.GetCredentialReportCommand({}), 'GetCredentialReport', null));
}

async function lastAccessed(c: Capture, arn: string): Promise<void> {
  const C = c.iam.sdk;
  await c.optional('service last-accessed data', async () => {
    const job = await c.iam.send(new C.GenerateServiceLastAccessedDetailsCommand({ Arn: arn }), 'GenerateServiceLastAccessedDetails');
    c.calls++;
    const JobId = str(job.JobId) as string;
    const finished = await c.poll('GetServiceLastAccessedDetails', () => c.iam.send(new C.GetServiceLastAccessedDetailsCommand({ JobId }), 'GetServiceLastAccessedDetails'), (o) => o.JobStatus !== 'IN_PROGRESS');
    if (finished) await c.keep(new C.GetServiceLastAccessedDetailsCommand({ JobId }), 'GetServiceLastAccessedDetails', arn);
  });
}

export async function captureIdentity(ctx: CoreContext, input: CaptureInput, o: CaptureOptions = {}): Promise<IamCaptureResult> {
  requireIncident(ctx, input.incidentId);
  if (Boolean(input.role) === Boolean(input.user)) throw new FirebreakError('bad-input', 'Name either a role (--role-name) or a user (--user-name) to capture.');
  const actor = ctx.automated('IAM capture');
  // IAM is global; its endpoint lives in us-east-1 for the aws partition.
  const iam = await IamReader.create({ region: input.region ?? 'us-east-1', profile: input.profile, endpoint: input.endpoint, signal: o.signal });
  const c = new Capture(iam, o);
  try {
    const { arn, policies } = input.role ? await captureRole(c, input.role) : await captureUser(c, input.user as string);
    await policyDocuments(c, [...new Set(policies)]);
    await credentialReport(c);
    await lastAccessed(c, arn);
  } finally {
    iam.close();
  }
  o.onProgress?.(`recording ${c.files.length} responses as evidence`);
  const recorded = await recordSources(ctx, actor, input.incidentId, c.files, 'capture');
  return { ...recorded, calls: c.calls, skipped: c.skipped };
}
