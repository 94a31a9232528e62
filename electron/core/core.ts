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
import { auditHandlers } from './ledger/handlers';
import { playbookHandlers } from './playbooks/handlers';
import { reportHandlers } from './reports/handlers';
import type { PdfRenderer } from './reports/pdf';
import { playbookLibrary } from './playbooks/library';
import { sampleHandlers } from './sample/handlers';
import { sessionHandlers } from './session/handlers';
import { FileKeyStore, type KeySealer, type SignerKeyStore } from './signoff/key-store';
import { signingKeysDir, signoffHandlers } from './signoff/handlers';
import { openDatabase } from './store/database';
import { validationHandlers } from './validation/handlers';
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
    ...validationHandlers(context),
    ...workflowHandlers(context),
    ...gapHandlers(context),
    ...signoffHandlers(context, { keys: services.keys }),
    ...reportHandlers(context, { keys: services.keys, ...(services.pdf ? { pdf: services.pdf } : {}) }),
    ...sampleHandlers(context, (c) => composeHandlers(c, services)),
  };
  return handlers;
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
