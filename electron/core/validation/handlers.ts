import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { withTarget } from './connect';
import { ValidationRunner } from './runner';
import { parseTargetUrl } from './target-url';

type ValidationHandlers = Pick<
  ApiHandlers,
  | 'validation.describeTarget'
  | 'validation.tables'
  | 'validation.start'
  | 'validation.status'
  | 'validation.cancel'
  | 'validation.runs'
  | 'validation.result'
  | 'validation.importBaseline'
>;

export function validationHandlers(ctx: CoreContext): ValidationHandlers {
  // The Electron build may keep its own better-sqlite3 binding, as the store does (see cli/env.ts).
  const nativeBinding = process.env.FIREBREAK_SQLITE_BINDING || undefined;
  const runner = new ValidationRunner(ctx, nativeBinding);
  return {
    'validation.describeTarget': ({ url }) => {
      const t = parseTargetUrl(url, { env: {} });
      return { engine: t.engine, display: t.display };
    },
    'validation.tables': async ({ target, schemas }) => {
      const spec = parseTargetUrl(target.url, { ...(target.password !== undefined ? { password: target.password } : {}), env: {} });
      return withTarget(spec, { nativeBinding }, async (a) => ({
        engine: a.engine,
        display: a.display,
        serverVersion: a.serverVersion,
        tables: (await a.listTables(schemas?.length ? schemas : null)).map((t) => ({ table: t.display, schema: t.schema, name: t.name })),
      }));
    },
    'validation.start': (input) => runner.start(input),
    'validation.status': ({ runId, waitMs }) => runner.status(runId, waitMs),
    'validation.cancel': ({ runId }) => runner.cancel(runId),
    'validation.runs': ({ incidentId, kind }) => runner.list(incidentId, kind),
    'validation.result': ({ runId }) => runner.result(runId),
    'validation.importBaseline': (input) => runner.importBaseline(input),
  };
}
