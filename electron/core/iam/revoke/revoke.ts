/**
 * Revoke in one step, and undo in one step. The plan is shown first (dry run); sending it needs the operator's
 * confirmation, and a capture of the identity unless an override gives a reason. Every call that reached IAM is
 * recorded, with the time from awareness to revocation; the time to halt is read later from the incident's logs.
 */
import type { Revocation, RevokeCall, RevokePlan } from '../../../shared/iam';
import type { CoreContext } from '../../context';
import { FirebreakError, badInput, notFound } from '../../errors';
import { IncidentRepository } from '../../incidents/repository';
import { WorkflowRepository } from '../../workflow/repository';
import { isDenied } from '../analyse/calls';
import { incidentCalls } from '../analyse/incident-calls';
import { IamReader } from '../capture/iam-client';
import { incidentSnapshot, requireIncident } from '../snapshot-store';
import { IamRevocationsRepository, type RevocationRow } from '../store/revocations-repository';
import { revokePlan } from './plan';

export interface RevokeTarget {
  incidentId: string;
  role?: string | undefined;
  user?: string | undefined;
}

export interface AwsAccess {
  profile?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
}

/** IAM's times have one-second resolution; so does the TokenIssueTime condition. */
const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
// Whole seconds; `|| 0` keeps a revocation in the same second as awareness from reading as -0.
const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000) || 0;

export async function planRevocation(ctx: CoreContext, t: RevokeTarget): Promise<RevokePlan> {
  requireIncident(ctx, t.incidentId);
  if (Boolean(t.role) === Boolean(t.user)) throw badInput('Name either a role or a user to revoke.');
  const kind = t.role ? 'role' : 'user';
  const name = (t.role ?? t.user) as string;
  const { snapshot } = await incidentSnapshot(ctx, t.incidentId);
  const record = [...snapshot.identities.values()].find((i) => i.kind === kind && (i.name === name || i.arn === name)) ?? null;
  return revokePlan(t.incidentId, { kind, name: record?.name ?? name, record }, snapshot, isoSeconds(ctx.now()));
}

/** Sends the calls in order; returns those that reached IAM, and the error that stopped the rest. */
async function send(calls: readonly RevokeCall[], aws: AwsAccess): Promise<{ done: RevokeCall[]; error: Error | null }> {
  const iam = await IamReader.create({ region: aws.region ?? 'us-east-1', profile: aws.profile, endpoint: aws.endpoint });
  const done: RevokeCall[] = [];
  try {
    for (const c of calls) {
      const Command = (iam.sdk as unknown as Record<string, new (input: object) => { input: object }>)[`${c.api}Command`];
      if (!Command) throw new FirebreakError('internal', `No IAM command ${c.api}.`);
      const about = c.params.PolicyName ?? c.params.AccessKeyId ?? '';
      await iam.send(new Command(c.params), `${c.api} ${c.params.RoleName ?? c.params.UserName ?? ''} ${about}`.trim());
      done.push(c);
    }
    return { done, error: null };
  } catch (e) {
    return { done, error: e as Error };
  } finally {
    iam.close();
  }
}

/** When the organisation became aware (recorded on the run screen), or the incident's opening when it was never set. */
function awarenessOf(ctx: CoreContext, incidentId: string): string {
  const createdAt = new IncidentRepository(ctx.db).get(incidentId)?.createdAt ?? '';
  return new WorkflowRepository(ctx.db).times(incidentId).get('awareness') ?? createdAt;
}

export async function revoke(ctx: CoreContext, t: RevokeTarget & AwsAccess & { confirm: boolean; override?: string | undefined }): Promise<Revocation> {
  const plan = await planRevocation(ctx, t);
  if (plan.refusal && !t.override) throw new FirebreakError('gate-not-met', plan.refusal);
  if (!t.confirm) throw badInput('A revocation changes IAM: confirm it (after a dry run shows the exact calls).');
  const actor = ctx.human();
  const { done, error } = await send(plan.calls, t);
  if (done.length === 0 && error) throw error;
  const revokedAt = isoSeconds(ctx.now());
  const undo = plan.undo.slice(0, done.length);
  const awarenessAt = awarenessOf(ctx, t.incidentId);
  const seq = ctx.change(
    actor,
    (n) => ({
      scope: t.incidentId,
      action: 'iam.revoked',
      subject: plan.identity,
      payload: {
        revocation: n,
        identity: plan.identity,
        calls: done,
        notSent: plan.calls.slice(done.length),
        error: error ? error.message : null,
        override: t.override ?? null,
        refusal: t.override ? plan.refusal : null,
        awarenessAt,
        revokedAt,
        secondsFromAwareness: seconds(awarenessAt, revokedAt),
      },
    }),
    () => new IamRevocationsRepository(ctx.db).add(t.incidentId, { identity: plan.identity, kind: plan.kind, calls: done, undo, revokedAt, revokedBy: actor.name, override: t.override ?? null }),
  );
  if (error) throw new FirebreakError('unavailable', `Only ${done.length} of ${plan.calls.length} revocation calls reached IAM (recorded as revocation ${seq}; undo reverses them): ${error.message}`);
  return revocations(ctx, t.incidentId).find((r) => r.seq === seq) as Revocation;
}

export async function undoRevocation(ctx: CoreContext, incidentId: string, seq: number, aws: AwsAccess): Promise<Revocation> {
  requireIncident(ctx, incidentId);
  const repo = new IamRevocationsRepository(ctx.db);
  const row = repo.list(incidentId).find((r) => r.seq === seq);
  if (!row) throw notFound(`There is no revocation ${seq} in ${incidentId}.`);
  if (row.undoneAt) throw new FirebreakError('conflict', `Revocation ${seq} was already undone at ${row.undoneAt} by ${row.undoneBy}.`);
  const actor = ctx.human();
  const { done, error } = await send(row.undo, aws);
  if (done.length === 0 && error) throw error;
  const at = isoSeconds(ctx.now());
  ctx.change(
    actor,
    { scope: incidentId, action: error ? 'iam.revocation-partly-undone' : 'iam.revocation-undone', subject: row.identity, payload: { revocation: seq, calls: done, notSent: row.undo.slice(done.length), error: error?.message ?? null } },
    () => (error ? undefined : repo.markUndone(incidentId, seq, at, actor.name)),
  );
  if (error) throw new FirebreakError('unavailable', `Only ${done.length} of ${row.undo.length} undo calls reached IAM (recorded): ${error.message}`);
  return revocations(ctx, incidentId).find((r) => r.seq === seq) as Revocation;
}

/** The first AccessDenied after the revocation, from the incident's collected logs: the time to halt. */
function halt(ctx: CoreContext, incidentId: string, r: RevocationRow): Pick<Revocation, 'firstDeniedAt' | 'secondsToHalt' | 'succeededAfter'> {
  const after = r.identity.startsWith('arn:') ? incidentCalls(ctx, incidentId, r.identity).filter((c) => c.eventTime >= r.revokedAt) : [];
  const denied = after.filter((c) => isDenied(c.errorCode)).sort((a, b) => (a.eventTime < b.eventTime ? -1 : 1))[0];
  return {
    firstDeniedAt: denied?.eventTime ?? null,
    secondsToHalt: denied ? seconds(r.revokedAt, denied.eventTime) : null,
    succeededAfter: after.filter((c) => c.errorCode === null).length,
  };
}

export function revocations(ctx: CoreContext, incidentId: string): Revocation[] {
  requireIncident(ctx, incidentId);
  const awarenessAt = awarenessOf(ctx, incidentId);
  return new IamRevocationsRepository(ctx.db).list(incidentId).map((r) => ({
    ...r,
    awarenessAt,
    secondsFromAwareness: seconds(awarenessAt, r.revokedAt),
    ...halt(ctx, incidentId, r),
  }));
}
