/** `iam analyze`: could versus did for an incident's snapshot and events, or for files on this machine. */
import { readFile, stat } from 'node:fs/promises';
import type { IamAnalysis, IamIncidentAnalysis, LeastPrivilegeDraft } from '../../../shared/iam';
import { incidentCloudTrail } from '../../cloudtrail/store/incident-context';
import type { CoreContext } from '../../context';
import { badInput } from '../../errors';
import { intakeBytes } from '../../evidence/intake';
import { actionCatalogue } from '../evaluate/catalogue';
import { findIdentity } from '../evaluate/identity-policies';
import { buildSnapshot, incidentSnapshot } from '../snapshot-store';
import { readSource } from '../sources/read';
import { callsInExports } from './calls';
import { credentialFacts } from './credential-facts';
import { couldVersusDid } from './could-vs-did';
import { incidentCalls } from './incident-calls';
import { eradicationStepOf } from './eradication-step';
import { LEAST_PRIVILEGE_DRAFT, draftLeastPrivilege } from './least-privilege';

/** IAM files are JSON or CSV documents; anything larger is not one. */
const MAX_IAM_FILE = 512 * 1024 * 1024;

export async function readIamFile(path: string): Promise<string> {
  const st = await stat(path).catch((e: unknown) => {
    throw badInput(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  });
  if (!st.isFile()) throw badInput(`${path}: not a file.`);
  if (st.size > MAX_IAM_FILE) throw badInput(`${path}: ${st.size} bytes is more than an IAM document can be.`);
  const buf = await readFile(path);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return text.decode(buf);
  } catch {
    throw badInput(`${path}: not UTF-8 text.`);
  }
}

export async function analyzeFiles(authz: readonly string[], logs: readonly string[], identity: string): Promise<IamAnalysis> {
  const pieces = [];
  for (const p of authz) pieces.push({ read: readSource(await readIamFile(p), p), binding: null });
  const snapshot = buildSnapshot(pieces);
  const id = findIdentity(snapshot, identity);
  const calls = logs.length ? await callsInExports(logs, id.arn) : [];
  return couldVersusDid(snapshot, id.arn, calls, await actionCatalogue());
}

export async function analyzeIncident(ctx: CoreContext, incidentId: string, identity: string | undefined): Promise<IamIncidentAnalysis> {
  const { snapshot, sources } = await incidentSnapshot(ctx, incidentId);
  if (sources.length === 0) throw badInput(`${incidentId} has no IAM snapshot yet: run \`firebreak iam import ${incidentId} FILE...\` or \`iam capture\` first.`);
  // Without a named identity: the incident's agent identities, or the one identity a capture or import describes.
  const agents = identity ? [identity] : incidentCloudTrail(ctx, incidentId).identities;
  const only = snapshot.identities.size === 1 ? [...snapshot.identities.keys()] : [];
  const wanted = agents.length ? agents : only;
  if (wanted.length === 0) throw badInput(`${incidentId} names no agent identity and its IAM snapshot holds ${snapshot.identities.size}: give one with --identity ARN.`);
  const catalogue = await actionCatalogue();
  const analyses: IamAnalysis[] = [];
  const notInSnapshot: string[] = [];
  for (const w of wanted) {
    let arn: string;
    try {
      arn = findIdentity(snapshot, w).arn;
    } catch (e) {
      if (identity) throw e;
      notInSnapshot.push(w);
      continue;
    }
    if (analyses.some((a) => a.identity === arn)) continue;
    analyses.push(couldVersusDid(snapshot, arn, incidentCalls(ctx, incidentId, arn), catalogue));
  }
  return { incidentId, sources, analyses, notInSnapshot, credentials: credentialFacts(snapshot, analyses.map((a) => a.identity)) };
}

/** The draft is kept as evidence, so the change record the sign-off attests to can cite it by hash. */
export async function leastPrivilege(ctx: CoreContext, incidentId: string, identity: string): Promise<LeastPrivilegeDraft> {
  const { snapshot, sources } = await incidentSnapshot(ctx, incidentId);
  const arn = sources.length ? findIdentity(snapshot, identity).arn : identity;
  if (!arn.startsWith('arn:')) throw badInput(`${identity} is not in the IAM snapshot of ${incidentId}: give its ARN, or import or capture it first.`);
  const calls = incidentCalls(ctx, incidentId, arn, true);
  if (!calls.some((c) => c.errorCode === null)) throw badInput(`The logs of ${incidentId} show no successful call by ${arn}: import or pull its CloudTrail activity first.`);
  const draft = draftLeastPrivilege(arn, calls, await actionCatalogue());
  const step = eradicationStepOf(ctx, incidentId);
  const item = await intakeBytes(ctx, ctx.human(), `${JSON.stringify(draft, null, 2)}\n`, {
    incidentId,
    name: `least-privilege-${arn.slice(arn.lastIndexOf('/') + 1)}.json`,
    sourceKind: 'file',
    description: `${LEAST_PRIVILEGE_DRAFT} ${arn} from ${calls.length} calls in the logs (Eradication change record)`,
    ...(step ? { linkedSteps: [step.id] } : {}),
  });
  return { ...draft, evidenceId: item.id, linkedStep: step };
}
