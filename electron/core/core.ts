import { join } from 'node:path';
import type { ApiHandlers } from '../shared/contract/index';
import type { Operator } from '../shared/domain';
import type { Result } from '../shared/result';
import { type CoreContext, createContext } from './context';
import { cloudtrailHandlers } from './cloudtrail/handlers';
import { dispatch } from './dispatch';
import { evidenceHandlers } from './evidence/handlers';
import { gapHandlers } from './gap/handlers';
import { incidentHandlers } from './incidents/handlers';
import { auditHandlers } from './audit/handlers';
import { playbookHandlers } from './playbooks/handlers';
import { reportHandlers } from './reports/handlers';
import type { PdfRenderer } from './reports/pdf';
import { playbookLibrary } from './playbooks/library';
import { sampleHandlers } from './sample/handlers';
import { sessionHandlers } from './session/handlers';
import { FileKeyStore, type KeySealer, type SignerKeyStore, signingKeysDir } from './signoff/key-store';
import { signoffHandlers } from './signoff/handlers';
import { openDatabase } from './store/database';
import type { Sealer } from './sealer';
import { type PasswordVaultOption, validationHandlers } from './validation/handlers';
import { PasswordVault, passwordVaultPath } from './validation/credentials/password-vault';
import { workflowHandlers } from './workflow/handlers';

export interface CoreOptions {
  dataDir: string;
  /** Where the shipped files live (playbooks/, reference data). */
  resourcesDir: string;
  mode: CoreContext['mode'];
  version: string;
  operator?: Operator;
  nativeBinding?: string;
  now?: () => Date;
  /** Wraps signers' private keys at rest (Electron: safeStorage); plain files with mode 0600 otherwise. */
  keySealer?: KeySealer;
  /**
   * Seals remembered database passwords (Electron: safeStorage backed by a real OS keychain). Without one, or with
   * `{ unavailable }` saying why, nothing is remembered and the Api says so.
   */
  passwordSealer?: Sealer | { unavailable: string };
  pdf?: () => PdfRenderer;
}

export interface Core {
  readonly handlers: ApiHandlers;
  readonly context: CoreContext;
  call(method: string, input: unknown): Promise<Result<unknown>>;
  close(): void;
}

/** What the domains share beyond the context: one store of signing keys for sign-off and bundle export. */
export interface CoreServices {
  keys: SignerKeyStore;
  /** Remembered database passwords (desktop app), or why they cannot be remembered here. */
  passwords: PasswordVaultOption;
  /** better-sqlite3 built for this runtime, for SQLite validation targets as for the store. */
  nativeBinding?: string;
  /** Turns report HTML into PDF: Chromium through playwright-core by default, printToPDF in the desktop app. */
  pdf?: () => PdfRenderer;
}

/** Every domain's handlers over one context. The sample generator composes a second set over its automated context. */
export function composeHandlers(context: CoreContext, services: CoreServices): ApiHandlers {
  const handlers: ApiHandlers = {
    ...sessionHandlers(context),
    ...playbookHandlers(context),
    ...incidentHandlers(context),
    ...auditHandlers(context),
    ...evidenceHandlers(context),
    ...cloudtrailHandlers(context),
    ...validationHandlers(context, { passwords: services.passwords, nativeBinding: services.nativeBinding }),
    ...workflowHandlers(context),
    ...gapHandlers(context),
    ...signoffHandlers(context, { keys: services.keys }),
    ...reportHandlers(context, { keys: services.keys, ...(services.pdf ? { pdf: services.pdf } : {}) }),
    ...sampleHandlers(context, (c) => composeHandlers(c, services)),
  };
  return handlers;
}

const NO_VAULT: Record<CoreContext['mode'], string> = {
  browser:
    'Browser mode does not remember database passwords: it has no OS keychain to seal them with. Type the password for each run, or use the desktop app.',
  cli: 'The CLI does not remember database passwords: set PGPASSWORD or MYSQL_PWD for the command, or use the desktop app.',
  electron: 'This computer has no OS keychain Firebreak can use, so database passwords are not remembered: type the password for each run.',
};

function passwordVault(o: CoreOptions): PasswordVaultOption {
  const sealer = o.passwordSealer;
  if (!sealer) return { unavailable: NO_VAULT[o.mode] };
  if ('unavailable' in sealer) return sealer;
  return new PasswordVault(passwordVaultPath(o.dataDir), sealer);
}

/** Opens the data directory and returns the engine: one object implementing the Api, used by every adapter. */
export function openCore(o: CoreOptions): Core {
  const db = openDatabase(o.dataDir, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
  const context = createContext({
    db,
    dataDir: o.dataDir,
    resourcesDir: o.resourcesDir,
    mode: o.mode,
    version: o.version,
    playbooks: playbookLibrary([join(o.resourcesDir, 'playbooks'), join(o.dataDir, 'playbooks')]),
    ...(o.now ? { now: o.now } : {}),
    ...(o.operator ? { operator: o.operator } : {}),
  });
  const handlers = composeHandlers(context, {
    keys: new FileKeyStore(signingKeysDir(o.dataDir), o.keySealer),
    passwords: passwordVault(o),
    ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
    ...(o.pdf ? { pdf: o.pdf } : {}),
  });
  return {
    handlers,
    context,
    call: (method, input) =>
      dispatch(handlers, method, input, (m, e) => {
        process.stderr.write(`firebreak: ${m} failed: ${(e as Error)?.stack ?? String(e)}\n`);
      }),
    close: () => db.close(),
  };
}
