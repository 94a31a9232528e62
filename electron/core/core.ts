import { join } from 'node:path';
import type { ApiHandlers } from '../shared/contract/index';
import type { Operator } from '../shared/domain';
import { athenaHandlers } from './athena/handlers';
import { checkpointAfterClose } from './checkpoints/checkpoint';
import { checkpointHandlers } from './checkpoints/handlers';
import { type CoreContext, createContext } from './context';
import { stepProofs } from './case/step-facts';
import { cloudtrailHandlers } from './cloudtrail/handlers';
import { type CoreCall, createDispatch } from './dispatch';
import { evidenceHandlers } from './evidence/handlers';
import { markInterruptedCollections, resumeInterruptedAnalyses } from './cloudtrail/collect/interrupted';
import { type RecoveryReport, STARTUP_ACTOR, recoverStore } from './evidence/recovery';
import { gapHandlers } from './gap/handlers';
import { iamHandlers } from './iam/handlers';
import { incidentHandlers } from './incidents/handlers';
import { auditHandlers } from './audit/handlers';
import { OperationRegistry } from './operations';
import { playbookHandlers } from './playbooks/handlers';
import { reportHandlers } from './reports/handlers';
import type { PdfRenderer } from './reports/pdf';
import { playbookLibrary } from './playbooks/library';
import { sampleHandlers } from './sample/handlers';
import { sessionHandlers } from './session/handlers';
import { FileKeyStore, type KeySealer, type SignerKeyStore, keysDir } from './signers/key-store';
import { signersHandlers } from './signers/handlers';
import { signoffHandlers } from './signoff/handlers';
import { type Db, openDatabase } from './store/database';
import { recordStateReader } from './store/record-state';
import { openScratchDatabase } from './store/scratch';
import type { Sealer } from './sealer';
import { timelineHandlers } from './timeline/handlers';
import { tracesHandlers } from './traces/handlers';
import { type PasswordVaultOption, validationHandlers } from './validation/handlers';
import { PasswordVault, passwordVaultPath } from './validation/credentials/password-vault';
import { dbLogHandlers } from './validation/db-log-handlers';
import { declaredStoreHandlers } from './validation/declared-stores';
import { rowDiffHandlers } from './validation/diff-handlers';
import { standaloneValidationHandlers } from './validation/standalone-handlers';
import { workflowHandlers } from './workflow/handlers';

export type { CoreCall } from './dispatch';

export interface CoreOptions {
  dataDir: string;
  /** Where the shipped files live (playbooks/, reference data). */
  resourcesDir: string;
  mode: CoreContext['mode'];
  version: string;
  operator?: Operator;
  nativeBinding?: string;
  now?: () => Date;
  /** Wraps the operator's own private keys at rest (Electron: safeStorage); plain files with mode 0600 otherwise. */
  keySealer?: KeySealer;
  /**
   * Seals remembered database passwords (Electron: safeStorage backed by a real OS keychain). Without one, or with
   * `{ unavailable }` saying why, nothing is remembered and the Api says so.
   */
  passwordSealer?: Sealer | { unavailable: string };
  pdf?: () => PdfRenderer;
  /**
   * The environment of the person at the CLI: database URLs outside incidents take PGPASSWORD, MYSQL_PWD and PGUSER
   * from it, and CloudTrail pulls AWS_REGION and (for a local endpoint only) the test pacing. The desktop app and
   * browser mode pass none: their Api reads no credentials from the server's environment.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * No case record: an in-memory store gone at close, and nothing read from or written to dataDir. For the CLI's
   * commands that record nothing (scans, lint, database checks, bundle verification).
   */
  scratch?: boolean;
}

/** What an adapter holds: the Api, and the means to close it. */
export interface CoreApi {
  call: CoreCall;
  close(): void;
}

/** The engine as tests and core itself see it. */
export interface Core extends CoreApi {
  readonly context: CoreContext;
  /** What the start-up check of the evidence store found, or why it could not run; null for a scratch core. */
  readonly recovery: RecoveryReport | Error | null;
}

/** What the domains share beyond the context. */
export interface CoreServices {
  /** The operator's own keys (keys init), for sign-off and bundle export. */
  keys: SignerKeyStore;
  /** Remembered database passwords (desktop app), or why they cannot be remembered here. */
  passwords: PasswordVaultOption;
  /** better-sqlite3 built for this runtime, for SQLite validation targets as for the store. */
  nativeBinding?: string;
  /** Turns report HTML into PDF: Chromium through playwright-core by default, printToPDF in the desktop app. */
  pdf?: () => PdfRenderer;
  env?: NodeJS.ProcessEnv;
  /** The long work running in this core, whichever context started it. */
  operations: OperationRegistry;
  /** The Api over another context through the same dispatch (the sample generator works as an automated actor). */
  callAs: (ctx: CoreContext) => CoreCall;
}

/** Every domain's handlers over one context. Building them has no side effects. */
export function composeHandlers(context: CoreContext, services: CoreServices): ApiHandlers {
  const { env, nativeBinding, pdf, keys } = services;
  return {
    ...sessionHandlers(context),
    ...playbookHandlers(context),
    ...incidentHandlers(context),
    ...auditHandlers(context),
    ...checkpointHandlers(context, keys),
    ...evidenceHandlers(context),
    ...cloudtrailHandlers(context, { ...(env ? { env } : {}) }),
    ...iamHandlers(context, { env }),
    ...athenaHandlers(context),
    ...tracesHandlers(context),
    ...timelineHandlers(context),
    ...validationHandlers(context, { passwords: services.passwords, nativeBinding }),
    ...standaloneValidationHandlers(context, { env, nativeBinding }),
    ...rowDiffHandlers(context, { env, nativeBinding }),
    ...declaredStoreHandlers(context),
    ...dbLogHandlers(context),
    ...workflowHandlers(context, stepProofs(context.db), (actor, id, phaseId) => checkpointAfterClose(context, keys, actor, id, phaseId)),
    ...gapHandlers(context),
    ...signersHandlers(context, keys),
    ...signoffHandlers(context, { keys }),
    ...reportHandlers(context, { keys, ...(pdf ? { pdf } : {}) }),
    ...sampleHandlers(context, services.callAs),
    'operations.list': ({ incidentId }) => services.operations.list(incidentId),
    'operations.cancel': ({ operationId }) => ({ cancelled: services.operations.cancel(operationId) }),
  };
}

const NO_VAULT: Record<CoreContext['mode'], string> = {
  browser:
    'Browser mode does not remember database passwords: it has no OS keychain to seal them with. Type the password for each run, or use the desktop app.',
  cli: 'The CLI does not remember database passwords: set PGPASSWORD or MYSQL_PWD for the command, or use the desktop app.',
  electron: 'This computer has no OS keychain Firebreak can use, so database passwords are not remembered: type the password for each run.',
};

function passwordVault(o: CoreOptions): PasswordVaultOption {
  const sealer = o.passwordSealer;
  if (!sealer || o.scratch) return { unavailable: NO_VAULT[o.mode] };
  if ('unavailable' in sealer) return sealer;
  return new PasswordVault(passwordVaultPath(o.dataDir), sealer);
}

/** Start-up cleanup after a crash. It must never keep the app from opening: a failure is kept, not thrown. */
function recover(context: CoreContext): RecoveryReport | Error {
  let failed: Error | null = null;
  try {
    markInterruptedCollections(context, STARTUP_ACTOR);
  } catch (e) {
    failed = e as Error;
  }
  try {
    resumeInterruptedAnalyses(context, STARTUP_ACTOR);
  } catch (e) {
    failed ??= e as Error;
  }
  try {
    const report = recoverStore(context);
    return failed ?? report;
  } catch (e) {
    return e as Error;
  }
}

/**
 * Opens the data directory and returns the engine: one object implementing the Api, used by every adapter. Opening
 * runs the evidence store's start-up check once, before any call.
 */
export function openCore(o: CoreOptions): Core {
  const binding = o.nativeBinding ? { nativeBinding: o.nativeBinding } : {};
  const db: Db = o.scratch ? openScratchDatabase(binding) : openDatabase(o.dataDir, binding);
  const playbookDirs = [join(o.resourcesDir, 'playbooks'), ...(o.scratch ? [] : [join(o.dataDir, 'playbooks')])];
  const context = createContext({
    db,
    dataDir: o.dataDir,
    resourcesDir: o.resourcesDir,
    mode: o.mode,
    version: o.version,
    playbooks: playbookLibrary(playbookDirs),
    ...(o.now ? { now: o.now } : {}),
    ...(o.operator ? { operator: o.operator } : {}),
  });
  const recovery = o.scratch ? null : recover(context);
  const operations = new OperationRegistry(context.now);
  const recordState = recordStateReader(db);
  const onUnexpected = (m: string, e: unknown) => {
    process.stderr.write(`firebreak: ${m} failed: ${(e as Error)?.stack ?? String(e)}\n`);
  };
  const services: CoreServices = {
    keys: new FileKeyStore(keysDir(o.dataDir), o.keySealer),
    passwords: passwordVault(o),
    ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
    ...(o.pdf ? { pdf: o.pdf } : {}),
    ...(o.env ? { env: o.env } : {}),
    operations,
    callAs: (ctx) => dispatcherOver(ctx),
  };
  const dispatcherOver = (ctx: CoreContext): CoreCall => createDispatch({ handlers: composeHandlers(ctx, services), operations, recordState, onUnexpected });
  return { context, recovery, call: dispatcherOver(context), close: () => db.close() };
}
