import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { RunProgress, ValidationRun } from '../../shared/validation';
import { stepForRun } from '../../shared/playbook/run-steps';
import { type CliEnv, CliExit, EXIT } from '../env';

/** What a validation run into an incident does, as the wizard's action names it. */
export type IncidentRunKind = 'baseline' | 'compare' | 'check-backup' | 'diff' | 'classify';

/** The password the CLI user's environment holds for a URL without one (as `firebreak db` outside an incident reads it). */
export function passwordFromEnv(url: string): string | undefined {
  if (/^sqlite:/i.test(url)) return undefined;
  try {
    if (new URL(url).password) return undefined;
  } catch {
    return undefined; // core names what is wrong with the URL
  }
  return /^mysql|^mariadb/i.test(url) ? process.env.MYSQL_PWD : process.env.PGPASSWORD;
}

/** Starts the run in the incident exactly as the wizard does (validation.start), then follows it to its end. */
export async function runInIncident(
  env: CliEnv,
  incidentId: string,
  kind: IncidentRunKind,
  step: string | undefined,
  start: (linkedSteps: string[]) => Record<string, unknown>,
  onProgress?: (p: RunProgress) => void,
): Promise<ValidationRun> {
  // A diff or a classification completes no step by default, as in the wizard: only the one --step names.
  const linked = step ?? (kind === 'diff' || kind === 'classify' ? null : stepForRun((await env.call('workflow.get', { id: incidentId })).playbook, kind));
  const started = await env.call('validation.start', { kind, incidentId, ...start(linked ? [linked] : []) } as never);
  let current = started;
  while (current.status === 'running') {
    current = await env.call('validation.status', { runId: current.id, waitMs: 5000 });
    if (current.progress && onProgress) onProgress(current.progress);
  }
  if (current.status !== 'done') throw new CliExit(EXIT.usage, `firebreak: ${current.id} ${current.status}${current.error ? `: ${current.error}` : ''}`);
  return current;
}

/** The baseline a compare in an incident runs against: a run id of the incident, or a file imported as the wizard imports it. */
export async function baselineRunOf(env: CliEnv, incidentId: string, baseline: string, step: string | undefined): Promise<string> {
  if (/^VR-\d{6,}$/.test(baseline)) return baseline;
  let content: string;
  try {
    content = readFileSync(baseline, 'utf8');
  } catch (e) {
    throw new CliExit(EXIT.usage, `firebreak: cannot read the baseline ${baseline}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const run = await env.call('workflow.get', { id: incidentId });
  const linked = step === undefined ? stepForRun(run.playbook, 'baseline') : null;
  const imported = await env.call('validation.importBaseline', { incidentId, fileName: basename(baseline), content, ...(linked ? { linkedSteps: [linked] } : {}) });
  env.io.err(`${imported.id}: baseline ${basename(baseline)} imported into ${incidentId} (${imported.summary ?? ''})\n`);
  return imported.id;
}

/** One line saying what was recorded and where, for the run's record in the incident. */
export function recordedLine(r: ValidationRun): string {
  return `${r.id}: ${r.kind} of ${r.target ?? ''} recorded in ${r.incidentId}: ${r.verdict ?? r.status}${r.summary ? ` (${r.summary})` : ''}; result ${r.evidenceId ?? 'not saved'}\n`;
}
