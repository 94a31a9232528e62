import { parse } from 'yaml';
import { badInput, notFound } from '../errors';
import type { IncidentRepository } from '../incidents/repository';

export const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,119}$/;

/**
 * What evidence can be linked to in the playbook an incident pinned: its step ids and the ids of the evidence artifacts
 * its evidence steps require (a phase gate asks for artifacts, so an item linked to one satisfies that part of the gate).
 */
export function stepIdsOf(playbookContent: string): Set<string> {
  const ids = new Set<string>();
  let doc: unknown;
  try {
    doc = parse(playbookContent);
  } catch {
    return ids;
  }
  const phases = (doc as { phases?: unknown } | null)?.phases;
  if (!Array.isArray(phases)) return ids;
  const idOf = (x: unknown) => (x as { id?: unknown } | null)?.id;
  for (const phase of phases) {
    const steps = (phase as { steps?: unknown } | null)?.steps;
    if (!Array.isArray(steps)) continue;
    for (const s of steps) {
      const id = idOf(s);
      if (typeof id === 'string' || typeof id === 'number') ids.add(String(id));
      const artifacts = (s as { artifacts?: unknown } | null)?.artifacts;
      if (!Array.isArray(artifacts)) continue;
      for (const a of artifacts) {
        const aid = idOf(a);
        if (typeof aid === 'string') ids.add(aid);
      }
    }
  }
  return ids;
}

/**
 * Checks that an incident exists and that each step id names a step of its pinned playbook (when the playbook lists
 * steps), so a typo does not link evidence to a step nobody will ever see.
 */
export function checkSteps(incidents: IncidentRepository, incidentId: string, steps: readonly string[]): string[] {
  const content = incidents.playbookContent(incidentId);
  if (content === undefined) throw notFound(`There is no incident ${incidentId}.`);
  const unique = [...new Set(steps.map((s) => s.trim()))];
  const bad = unique.filter((s) => !STEP_ID.test(s));
  if (bad.length) throw badInput(`"${bad[0]}" is not a step id.`);
  if (unique.length === 0) return unique;
  const known = stepIdsOf(content);
  const unknown = unique.filter((s) => known.size > 0 && !known.has(s));
  if (unknown.length) {
    throw badInput(`The playbook of ${incidentId} has no step or evidence artifact ${unknown.map((s) => `"${s}"`).join(', ')}.`, [
      `Its steps and artifacts: ${[...known].join(', ')}`,
    ]);
  }
  return unique;
}
