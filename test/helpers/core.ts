import { resolve } from 'node:path';
import { type Core, type CoreOptions, openCore } from '../../electron/core/core';
import type { ValidationRun } from '../../electron/shared/validation';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export const testOperator = { name: 'Dana Reyes', role: 'IR lead' };

/** A real core on a real SQLite file in dataDir, with the shipped playbooks. */
export function testCore(dataDir: string, extra: Partial<CoreOptions> = {}): Core {
  return openCore({ dataDir, resourcesDir: repoRoot, mode: 'cli', version: 'test', operator: testOperator, ...extra });
}

/** Unwraps an Api result or fails the test with the error. */
export async function call<T = unknown>(core: Core, method: string, input: unknown = {}): Promise<T> {
  const r = await core.call(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.message} ${(r.error.details ?? []).join('; ')}`);
  return r.value as T;
}

/** Polls a validation run the way the wizard does, waiting on the run's own change signal, until it ends. */
export async function settleValidation(core: Core, run: ValidationRun): Promise<ValidationRun> {
  let r = run;
  while (r.status === 'running') r = await call<ValidationRun>(core, 'validation.status', { runId: r.id, waitMs: 5000 });
  return r;
}
