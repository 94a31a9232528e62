import type { Step } from '../../shared/playbook/schema';
import { signerRoleKey, signerRoles } from '../../shared/signoff';
import type { ValidationRun } from '../../shared/validation';
import type { StepProof } from '../../shared/workflow';
import { CollectionsRepository } from '../cloudtrail/store/collections-repository';
import type { Db } from '../store/database';
import { TracesRepository } from '../traces/traces-repository';
import { storeIdentity } from '../validation/adapters/store-identity';
import { ValidationRunRepository, storedCompareCoverage } from '../validation/runs/runs-repository';
import type { ProofInput, StepProofs } from '../workflow/run';
import { renderedTarget } from './data-stores';
import { gapSet, missingFor } from './gap-set';
import { CaseRepository } from './repository';

interface StepFactsInput extends ProofInput {
  db: Db;
  incidentId: string;
  params: Readonly<Record<string, string>>;
}

/** The proofs of every fact-backed step of an incident's playbook, read from the incident's records in db. */
export const stepProofs =
  (db: Db): StepProofs =>
  (p) => {
    const i: StepFactsInput = { ...p, db, incidentId: p.incident.id, params: p.incident.params };
    const runs = new ValidationRunRepository(db).list(i.incidentId);
    const out = new Map<string, StepProof>();
    const lazy: Lazy = {
      signoffs: () => new CaseRepository(db).signOffs(i.incidentId),
      assessments: () => new CaseRepository(db).gapAssessments(i.incidentId),
      collections: () => new CollectionsRepository(db).list(i.incidentId),
      traces: () => new TracesRepository(db).imports(i.incidentId),
    };
    for (const phase of i.playbook.phases) {
      for (const step of phase.steps) {
        const proof = proofOf(step, i, runs, lazy);
        if (proof) out.set(step.id, proof);
      }
    }
    return out;
  };

type Lazy = {
  signoffs: () => ReturnType<CaseRepository['signOffs']>;
  assessments: () => ReturnType<CaseRepository['gapAssessments']>;
  collections: () => ReturnType<CollectionsRepository['list']>;
  traces: () => ReturnType<TracesRepository['imports']>;
};

const met = (record: string | null, text: string): StepProof => ({ met: true, record, text, how: null });
const waiting = (text: string, how: string): StepProof => ({ met: false, record: null, text, how });

function proofOf(step: Step, i: StepFactsInput, runs: ValidationRun[], lazy: Lazy): StepProof | null {
  switch (step.kind) {
    case 'validation':
      return validationProof(step, i, runs);
    case 'sign-off': {
      const signed = lazy.signoffs().filter((r) => r.stepId === step.id);
      const roles = signerRoles(step.roles);
      const left = roles.filter((role) => !signed.some((r) => signerRoleKey(r.role) === signerRoleKey(role)));
      if (left.length === 0) return met(signed.map((r) => r.id).join(', '), `signed by ${signed.map((r) => `${r.name} (${r.role}, ${r.id})`).join(', ')}`);
      return waiting(`waiting for the signatures of ${left.join(', ')}`, `each signer signs a request in the Sign-off tab, or: firebreak signoff request ${i.incidentId} --step ${step.id} --role ROLE --out request.txt, signed on their machine and brought back with firebreak signoff import; you sign your own role with firebreak signoff ${i.incidentId} --step ${step.id} --role ROLE --name "YOUR NAME"`);
    }
    case 'gap-assessment': {
      const rows = lazy.assessments();
      const controls = gapSet(i.playbook);
      const open = controls.filter((c) => {
        const r = rows.get(c.controlId);
        return missingFor({ label: c.label, state: r?.state ?? null, gap: r?.gap ?? null, owner: r?.owner ?? null, dueDate: r?.due_date ?? null }).length > 0;
      });
      const done = controls.length - open.length;
      if (open.length === 0) return met(null, `completed by the gap analysis: ${done} of ${controls.length} controls assessed`);
      return waiting(
        `waiting for the gap analysis: ${done} of ${controls.length} controls fully assessed (still open: ${open.slice(0, 5).map((c) => c.controlId).join(', ')}${open.length > 5 ? ', ...' : ''})`,
        `assess every control in the Gap analysis tab, or: firebreak gap set ${i.incidentId} CONTROL --state STATE [--gap TEXT --owner NAME --due DATE]`,
      );
    }
    case 'cloudtrail': {
      const done = lazy.collections().filter((c) => c.status === 'done');
      const last = done.at(-1);
      if (last) return met(last.id, `completed by ${last.id} (CloudTrail ${last.kind}, ${last.records} records)`);
      return waiting('waiting for a CloudTrail log collection', `import or pull the logs in the CloudTrail tab, or: firebreak cloudtrail import ${i.incidentId} PATH (or cloudtrail pull)`);
    }
    case 'agent-trace': {
      const last = lazy.traces().at(-1);
      if (last) return met(last.id, `completed by ${last.id} (${last.runs} run${last.runs === 1 ? '' : 's'}, ${last.toolCalls} tool calls, ${last.destructive} destructive, from ${last.evidence.map((e) => e.id).join(', ')})`);
      return waiting("waiting for the agent's traces", `import them (OpenTelemetry GenAI spans or LangSmith runs): firebreak trace import ${i.incidentId} FILE...`);
    }
    case 'evidence': {
      const missing = step.artifacts.filter((a) => (i.attached.get(a.id)?.length ?? 0) === 0);
      if (missing.length === 0) {
        const ids = step.artifacts.map((a) => i.attached.get(a.id)?.[0]?.id ?? '').join(', ');
        return met(ids, `completed by ${ids}`);
      }
      return waiting(
        `waiting for evidence: ${missing.map((a) => a.name).join('; ')}`,
        `attach it in the Evidence tab, or: firebreak evidence add ${i.incidentId} FILE --step ${missing[0]?.id ?? step.id}`,
      );
    }
    default:
      return null;
  }
}

/** The parameters a target names that are not set yet ({{production_database_url}} -> production_database_url). */
const unsetParams = (target: string): string[] => [...target.matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/g)].flatMap((m) => (m[1] ? [m[1]] : []));

function validationProof(step: Extract<Step, { kind: 'validation' }>, i: StepFactsInput, runs: ValidationRun[]): StepProof {
  const target = renderedTarget(step.target, i.params);
  const key = target ? storeIdentity(target).key : null;
  const linked = new Set((i.attached.get(step.id) ?? []).map((e) => e.id));
  // A run is this step's when its result is linked to the step, or when it ran against the store the step names.
  const mine = (r: ValidationRun) => (r.evidenceId !== null && linked.has(r.evidenceId)) || (key !== null && r.target !== null && storeIdentity(r.target).key === key);
  const unset = target ? [] : unsetParams(step.target);
  const store = target ? storeIdentity(target).label : unset.length ? `the database in ${unset.join(', ')} (not set yet)` : step.target;
  const first = unset.length ? `set ${unset.join(', ')} in the incident's parameters, then ` : '';
  if (step.mode === 'baseline') {
    const base = runs.find((r) => (r.kind === 'baseline' || r.kind === 'import') && r.status === 'done' && mine(r));
    if (base) return met(base.id, `completed by ${base.id} (${base.kind === 'import' ? 'imported baseline' : 'baseline'} of ${base.target ?? store})`);
    return waiting(
      `waiting for a baseline of ${store}`,
      `${first}capture or import a baseline for this step in the Validation tab, or: firebreak db baseline ${target ?? 'URL'} --incident ${i.incidentId} --step ${step.id}`,
    );
  }
  const newest = runs.find((r) => r.kind === 'compare' && mine(r));
  const how = `${first}run a compare ${target ? `of ${store} ` : ''}against the baseline in the Validation tab, or: firebreak db compare ${target ? storeIdentity(target).label : 'URL'} --baseline VR-ID|FILE --incident ${i.incidentId} --step ${step.id}`;
  if (!newest) return waiting(`waiting for a compare of ${store} against the baseline`, how);
  if (newest.status !== 'done') return waiting(`waiting: the latest compare ${newest.id} ${newest.status === 'running' ? 'has not finished' : newest.status}`, how);
  if (newest.verdict !== 'match') return waiting(`waiting: the latest compare ${newest.id} did not match the baseline${newest.summary ? ` (${newest.summary})` : ''}`, `restore the data, then ${how}`);
  const stored = storedCompareCoverage(i.db, newest.id);
  if (stored && ('unknown' in stored || !stored.coverage.complete)) {
    return waiting(`waiting: the latest compare ${newest.id} matched only part of the database`, `capture a baseline of every table, then ${how}`);
  }
  return met(newest.id, `completed by ${newest.id} (compare of ${newest.target ?? store}: match)`);
}
