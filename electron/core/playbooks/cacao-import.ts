/**
 * OASIS CACAO v2.0 -> Firebreak playbook data (to be written as YAML). A playbook Firebreak exported carries the
 * Firebreak extension and comes back whole; the step names, order and commands are read from the CACAO workflow
 * itself, so edits made in a CACAO tool survive. Any other CACAO playbook is converted as a draft (see
 * cacao-import-foreign.ts) that lint then says how to complete.
 */
import * as z from 'zod';
import { type CacaoPlaybook, type CacaoWorkflowStep, FIREBREAK_EXTENSION_ID } from '../../shared/playbook/cacao-types';
import { slugify } from '../../shared/playbook/ids';
import { badInput } from '../errors';
import { type CacaoImport, convertForeignSteps, convertForeignPlaybook, fromCacaoVariables } from './cacao-import-foreign';

const cacaoDocument = z
  .object({
    type: z.literal('playbook', { error: 'type must be "playbook"' }),
    spec_version: z.literal('cacao-2.0', { error: 'spec_version must be "cacao-2.0"' }),
    name: z.string({ error: 'name is required' }),
    workflow_start: z.string({ error: 'workflow_start is required' }),
    workflow: z.record(z.string(), z.looseObject({ type: z.string() }), { error: 'workflow must be an object of steps' }),
  })
  .loose();

export function importCacao(input: unknown, options: { id?: string } = {}): CacaoImport {
  const parsed = cacaoDocument.safeParse(input);
  if (!parsed.success) {
    throw badInput('This is not a CACAO v2.0 playbook.', parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`));
  }
  const doc = parsed.data as unknown as CacaoPlaybook;
  if (!doc.workflow[doc.workflow_start]) throw badInput(`workflow_start names ${doc.workflow_start}, which is not in the workflow.`);
  const order = workflowOrder(doc);
  const meta = (doc.playbook_extensions?.[FIREBREAK_EXTENSION_ID] as { playbook?: Record<string, unknown> } | undefined)?.playbook;
  const result = meta && typeof meta === 'object' ? fromExtension(doc, order, meta) : convertForeignPlaybook(doc, order);
  if (options.id && options.id !== result.data.id) {
    result.notes.push(`id changed from ${String(result.data.id)} to ${options.id}`);
    result.data.id = options.id;
  } else if (!options.id && typeof result.data.id !== 'string') {
    result.data.id = slugify(doc.name, 'playbook');
  }
  return result;
}

/** Workflow step ids in the order a responder meets them: the chain from workflow_start, branches in order, then the rest. */
export function workflowOrder(doc: CacaoPlaybook): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (start: string) => {
    const stack = [start];
    while (stack.length) {
      const id = stack.pop() as string;
      const step = doc.workflow[id];
      if (seen.has(id) || !step) continue;
      seen.add(id);
      order.push(id);
      const next = [
        step.on_completion,
        step.on_success,
        step.on_true,
        step.on_false,
        ...(step.next_steps ?? []),
        ...Object.values(step.cases ?? {}),
        step.default,
        step.on_failure,
      ].filter((s): s is string => typeof s === 'string');
      stack.push(...next.reverse());
    }
  };
  visit(doc.workflow_start);
  Object.keys(doc.workflow).forEach(visit);
  return order;
}

interface StepExtension {
  phase?: unknown;
  step?: Record<string, unknown>;
}

function fromExtension(doc: CacaoPlaybook, order: string[], meta: Record<string, unknown>): CacaoImport {
  const notes: string[] = [];
  let lossless = true;
  const phases = (Array.isArray(meta.phases) ? meta.phases : []).map((p) => ({
    ...(p as Record<string, unknown>),
    id: String((p as { id?: unknown }).id),
    steps: [] as unknown[],
  }));
  const phaseById = new Map(phases.map((p) => [p.id, p]));
  let current = phases[0];
  const taken = new Set(
    order.map((id) => (doc.workflow[id]?.step_extensions?.[FIREBREAK_EXTENSION_ID] as StepExtension | undefined)?.step?.id).map(String),
  );
  for (const id of order) {
    const step = doc.workflow[id] as CacaoWorkflowStep;
    if (step.type === 'start' || step.type === 'end') continue;
    const ext = step.step_extensions?.[FIREBREAK_EXTENSION_ID] as StepExtension | undefined;
    const phase = ext ? phaseById.get(String(ext.phase)) : undefined;
    if (!ext?.step || !phase) {
      // A step added in a CACAO tool: keep it, in the phase of the step before it.
      lossless = false;
      const converted = convertForeignSteps(step, id, taken);
      notes.push(`step "${step.name ?? id}" has no Firebreak data: added to phase ${current?.id ?? '(none)'} as ${converted.map((s) => s.kind).join(', ')}`);
      current?.steps.push(...converted);
      continue;
    }
    current = phase;
    phase.steps.push(mergeCacaoEdits(ext.step, step));
  }
  const data: Record<string, unknown> = { ...meta, title: doc.name, phases };
  if (doc.description) data.summary = doc.description;
  return { data, lossless, notes };
}

/** The CACAO fields a CACAO editor changes win over the copy in the extension: name and commands. */
function mergeCacaoEdits(saved: Record<string, unknown>, step: CacaoWorkflowStep): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...saved };
  if (step.name) merged.title = step.name;
  const commands = step.commands ?? [];
  if (saved.kind === 'command' && typeof commands[0]?.command === 'string') merged.command = fromCacaoVariables(commands[0].command);
  if (saved.kind === 'checklist' && commands.length && commands.every((c) => c.type === 'manual' && typeof c.command === 'string')) {
    merged.items = commands.map((c) => fromCacaoVariables(c.command ?? ''));
  }
  return merged;
}
