import { resolve } from 'node:path';
import { type Core, type CoreOptions, openCore } from '../../electron/core/core';

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
