import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { FirebreakError, badInput } from '../errors';
import { withTarget } from './adapters/connect';
import { redactSecrets } from './adapters/target-url';
import { captureBaseline, serializeManifest } from './baseline/baseline';
import { compareWithBaseline } from './baseline/compare';
import { MAX_BASELINE_BYTES, parseBaselineFile } from './baseline/manifest';
import { checkBackupFile } from './checks/backup-check';
import { checkDatabase } from './checks/database-check';

type StandaloneMethods = 'validation.captureBaseline' | 'validation.compareBaseline' | 'validation.checkTarget' | 'validation.checkBackup';

export interface StandaloneOptions {
  /** The CLI user's environment, for PGPASSWORD, MYSQL_PWD, PGUSER and the like; none in the desktop app and browser mode. */
  env?: NodeJS.ProcessEnv | undefined;
  nativeBinding?: string | undefined;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A baseline file as read: its text, and the SHA-256 of its bytes, which the comparison names. */
function readBaseline(file: string): { text: string; sha256: string } {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw badInput(`the baseline file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`);
  }
  if (buf.length > MAX_BASELINE_BYTES) throw badInput(`${file} is larger than 64 MB; it is not a baseline.`);
  return { text: buf.toString('utf8'), sha256: sha256(buf) };
}

/** No message carries a credential, even one a driver echoed back. */
async function redacted<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof FirebreakError) throw new FirebreakError(e.code, redactSecrets(e.message, []), e.details);
    throw e;
  }
}

/**
 * Database validation outside any incident (`firebreak db ...`): the same capture, compare and checks the wizard runs,
 * on databases and files named by the caller, recording nothing.
 */
export function standaloneValidationHandlers(ctx: CoreContext, o: StandaloneOptions): Pick<ApiHandlers, StandaloneMethods> {
  const targetOptions = (target: { url: string; password?: string | undefined }) => ({
    env: o.env ?? {},
    nativeBinding: o.nativeBinding,
    ...(target.password ? { password: target.password } : {}),
  });
  const now = () => ctx.now();
  return {
    'validation.captureBaseline': ({ target, tables, schemas }, { signal, progress }) =>
      redacted(async () => {
        const manifest = await withTarget(target.url, targetOptions(target), (a) =>
          captureBaseline(a, { tables: tables ?? [], schemas: schemas ?? [], signal, onProgress: progress, now }),
        );
        const text = serializeManifest(manifest);
        return { manifest, text, sha256: sha256(text) };
      }),
    'validation.compareBaseline': ({ target, baseline }, { signal, progress }) =>
      redacted(async () => {
        const file = resolve(baseline);
        const read = readBaseline(file);
        const parsed = parseBaselineFile(read.text, file, now);
        return withTarget(target.url, targetOptions(target), (a) =>
          compareWithBaseline(a, parsed, { baselineSha256: read.sha256, signal, onProgress: progress, now }),
        );
      }),
    'validation.checkTarget': ({ target, tables }, { signal }) =>
      redacted(() => withTarget(target.url, targetOptions(target), (a) => checkDatabase(a, { tables: tables ?? [], signal, now }))),
    'validation.checkBackup': ({ path, expectedSha256 }, { signal }) =>
      redacted(() => checkBackupFile(resolve(path), { expectedSha256, signal, nativeBinding: o.nativeBinding, now })),
  };
}
