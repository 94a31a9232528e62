import { resolve } from 'node:path';
import type { ApiHandlers, ApiParsedInput } from '../../shared/contract/index';
import type { RowDiffProgress, RowDiffResult } from '../../shared/row-diff';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { type TargetAdapter, rowAdapter } from './adapters/adapter';
import { openTarget, withTarget } from './adapters/connect';
import { redactSecrets } from './adapters/target-url';
import { classifyDatabase } from './classify/classify';
import { diffDatabases } from './diff/row-diff';
import type { StandaloneOptions } from './standalone-handlers';

/** No message carries a credential, even one a driver echoed back. */
function redacted(e: unknown): unknown {
  return e instanceof FirebreakError ? new FirebreakError(e.code, redactSecrets(e.message, []), e.details) : e;
}

async function withRedaction<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw redacted(e);
  }
}

type DiffInput = ApiParsedInput<'validation.diff'>;

/**
 * `firebreak db diff` outside an incident: both databases open read-only at once, each in its own snapshot; nothing
 * is recorded. In an incident a diff is a validation run (validation.start), as the wizard records it.
 */
export function rowDiffHandlers(ctx: CoreContext, o: StandaloneOptions): Pick<ApiHandlers, 'validation.diff' | 'validation.classify'> {
  const targetOptions = (target: { password?: string | undefined }) => ({
    env: o.env ?? {},
    nativeBinding: o.nativeBinding,
    ...(target.password ? { password: target.password } : {}),
  });
  const diff = async (
    { reference, actual, tables, keysOut, classify }: DiffInput,
    signal: AbortSignal | undefined,
    progress: ((p: RowDiffProgress) => void) | undefined,
  ): Promise<RowDiffResult> => {
      // Settled, not all: when one side fails to open, the other is still closed.
      const opened = await Promise.allSettled([openTarget(reference.url, targetOptions(reference)), openTarget(actual.url, targetOptions(actual))]);
      const open = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        const [ref, act] = open as [TargetAdapter, TargetAdapter];
        return await diffDatabases(rowAdapter(ref, 'diff'), rowAdapter(act, 'diff'), {
          tables: tables ?? [],
          keysOut: keysOut ? resolve(keysOut) : null,
          classify: classify ?? false,
          signal,
          onProgress: progress,
          now: () => ctx.now().toISOString(),
        });
      } catch (e) {
        throw redacted(e);
      } finally {
        await Promise.all(open.map((a) => a.close()));
      }
  };
  return {
    'validation.diff': (input, { signal, progress }) => diff(input, signal, progress),
    'validation.classify': ({ target, tables, sample }, { signal, progress }) =>
      withRedaction(() =>
        withTarget(target.url, targetOptions(target), (a) =>
          classifyDatabase(rowAdapter(a, 'classify'), { tables: tables ?? [], ...(sample ? { sample } : {}), signal, onProgress: progress, now: () => ctx.now().toISOString() }),
        ),
      ),
  };
}
