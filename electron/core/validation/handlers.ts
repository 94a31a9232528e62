import type { ApiHandlers } from '../../shared/contract/index';
import type { PasswordVaultState } from '../../shared/validation';
import type { CoreContext } from '../context';
import { FirebreakError, badInput } from '../errors';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import { withTarget } from './adapters/connect';
import { type TargetSpec, isServerTarget, parseTargetUrl } from './adapters/target-url';
import { type PasswordVault, serverKey, serverKeyOfUrl } from './credentials/password-vault';
import { type ResolvedTarget, ValidationRunner } from './runs/runner';

/** The vault key a database URL names, or null when the text is not a server URL at all. */
function knownKeyOf(text: string): string | null {
  try {
    return serverKeyOfUrl(text);
  } catch {
    return null;
  }
}

/** The desktop app's vault of remembered passwords, or why there is none here. */
export type PasswordVaultOption = PasswordVault | { unavailable: string };

type ValidationHandlers = Pick<
  ApiHandlers,
  | 'validation.describeTarget'
  | 'validation.tables'
  | 'validation.start'
  | 'validation.status'
  | 'validation.cancel'
  | 'validation.runs'
  | 'validation.result'
  | 'validation.diffKeys'
  | 'validation.importBaseline'
  | 'validation.passwords'
  | 'validation.rememberPassword'
  | 'validation.forgetPassword'
>;

export function validationHandlers(ctx: CoreContext, o: { passwords: PasswordVaultOption; nativeBinding?: string | undefined }): ValidationHandlers {
  // SQLite targets open with the binding the store uses: the desktop app's own, built for Electron (see main.ts).
  const nativeBinding = o.nativeBinding || process.env.FIREBREAK_SQLITE_BINDING || undefined;
  const vault = 'unavailable' in o.passwords ? null : o.passwords;

  /** The Api never reads passwords from the server's environment: only the URL, the form's field or the vault. */
  const resolve = (target: { url: string; password?: string | undefined }): ResolvedTarget => {
    // An empty password field means none was typed: the vault may fill it.
    const typed = target.password === '' ? undefined : target.password;
    const spec = parseTargetUrl(target.url, { ...(typed !== undefined ? { password: typed } : {}), env: {} });
    if (!isServerTarget(spec)) return { spec, credential: 'none' };
    if (spec.password !== undefined) return { spec, credential: new URL(target.url).password ? 'in-url' : 'given' };
    const remembered = vault?.passwordFor(spec);
    return remembered === undefined ? { spec, credential: 'none' } : { spec: { ...spec, password: remembered }, credential: 'remembered' };
  };
  const state = (): PasswordVaultState =>
    vault
      ? { available: true, protection: vault.protection, reason: null, entries: vault.list() }
      : { available: false, protection: null, reason: (o.passwords as { unavailable: string }).unavailable, entries: [] };
  const requireVault = (): PasswordVault => {
    if (!vault) throw new FirebreakError('unavailable', (o.passwords as { unavailable: string }).unavailable);
    return vault;
  };

  const runner = new ValidationRunner(ctx, nativeBinding, resolve);
  return {
    'validation.describeTarget': ({ url }) => {
      const t = parseTargetUrl(url, { env: {} });
      return { engine: t.engine, display: t.display, server: isServerTarget(t) ? serverKey(t) : null };
    },
    'validation.tables': async ({ target, schemas }) => {
      const { spec } = resolve(target);
      return withTarget(spec, { nativeBinding }, async (a) => ({
        engine: a.engine,
        display: a.display,
        server: isServerTarget(spec) ? serverKey(spec) : null,
        serverVersion: a.serverVersion,
        tables: (await a.listTables(schemas?.length ? schemas : null)).map((t) => ({ table: t.display, schema: t.schema, name: t.name })),
      }));
    },
    'validation.start': (input) => runner.start(input),
    'validation.status': ({ runId, waitMs }) => runner.status(runId, waitMs),
    'validation.cancel': ({ runId }) => runner.cancel(runId),
    'validation.runs': ({ incidentId, kind }) => runner.list(incidentId, kind),
    'validation.result': ({ runId }) => runner.result(runId),
    'validation.diffKeys': ({ runId, table, limit }) => runner.diffKeys(runId, table, limit),
    'validation.importBaseline': (input) => runner.importBaseline(input),
    'validation.passwords': () => state(),
    'validation.rememberPassword': async ({ url, password }) => {
      const v = requireVault();
      const actor = ctx.human();
      const spec: TargetSpec = parseTargetUrl(url, { env: {} });
      if (!isServerTarget(spec)) throw badInput(`${spec.display} has no password to remember (a SQLite file, or DynamoDB with AWS credentials).`);
      if (new URL(url).password) throw badInput('Give the URL without its password, and the password in the password field.');
      // Proven first: a mistyped password is refused by the server here, not discovered at the next run.
      await withTarget({ ...spec, password }, { nativeBinding }, async () => undefined);
      // The ledger entry first, the file last: a failed write rolls the entry back, and nothing is remembered unrecorded.
      const entry = {
        scope: SYSTEM_SCOPE,
        action: 'credential.remembered',
        subject: serverKey(spec),
        payload: { engine: spec.engine, tls: spec.tls, protection: v.protection },
      };
      return ctx.change(actor, entry, () => v.remember(spec, password, `${actor.name} (${actor.role})`, ctx.now()));
    },
    'validation.forgetPassword': ({ server }) => {
      const v = requireVault();
      const actor = ctx.human();
      const key = v.has(server) ? server : knownKeyOf(server);
      if (!key || !v.has(key)) throw new FirebreakError('not-found', `No password is remembered for ${key ?? server}.`);
      ctx.change(actor, { scope: SYSTEM_SCOPE, action: 'credential.forgotten', subject: key, payload: {} }, () => v.forget(key));
      return state();
    },
  };
}
