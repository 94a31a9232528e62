/**
 * The Api, declared once. Every adapter (Electron IPC, browser-mode HTTP, CLI) and the renderer derive from this map:
 * the method name is the channel, its zod schema validates input at every boundary, and its phantom output types the
 * result. Each domain declares its methods in its own file; add a domain here.
 */
import type { z } from 'zod';
import { auditContract } from './audit';
import { checkpointsContract } from './checkpoints';
import { cloudtrailContract } from './cloudtrail';
import { evidenceContract } from './evidence';
import { gapContract } from './gap';
import { incidentsContract } from './incidents';
import { playbooksContract } from './playbooks';
import { reportsContract } from './reports';
import { sampleContract } from './sample';
import { sessionContract } from './session';
import { signersContract } from './signers';
import { signoffContract } from './signoff';
import { validationContract } from './validation';
import { workflowContract } from './workflow';

export const contract = {
  ...sessionContract,
  ...playbooksContract,
  ...incidentsContract,
  ...auditContract,
  ...checkpointsContract,
  ...evidenceContract,
  ...cloudtrailContract,
  ...validationContract,
  ...workflowContract,
  ...sampleContract,
  ...gapContract,
  ...signersContract,
  ...signoffContract,
  ...reportsContract,
} as const;

export type Contract = typeof contract;
export type ApiMethod = keyof Contract;
export type ApiInput<M extends ApiMethod> = z.input<Contract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<Contract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = Contract[M]['output'];

/** What core implements for one method: parsed input in, value out (errors thrown, enveloped by dispatch). */
export type ApiHandler<M extends ApiMethod> = (input: ApiParsedInput<M>) => ApiOutput<M> | Promise<ApiOutput<M>>;
export type ApiHandlers = { [M in ApiMethod]: ApiHandler<M> };

export const apiMethods = Object.keys(contract) as ApiMethod[];

export const isApiMethod = (name: unknown): name is ApiMethod =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

/** The IPC channel of a method; the HTTP route is `/api/<method>`. */
export const ipcChannel = (m: ApiMethod): string => `firebreak:${m}`;
export const HTTP_API_PREFIX = '/api/';
/** Report previews: opened through this channel (Electron) or path (browser mode), shown from `<prefix><id>`. */
export const PREVIEW_CHANNEL = 'firebreak:preview';
export const PREVIEW_OPEN_PATH = '/preview';
export const PREVIEW_SHOW_PREFIX = '/preview/';

/**
 * The desktop app's native open dialogs: the page names what it wants files for, and main alone decides the dialog's
 * options (title, filters, files or folders). The answer is the chosen paths, or none when the user cancelled.
 */
export const FILE_DIALOG_CHANNEL = 'firebreak:choose-files';
export const FILE_PURPOSES = ['evidence', 'cloudtrail-files', 'cloudtrail-folder', 'backup', 'sqlite', 'bundle'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
export const isFilePurpose = (p: unknown): p is FilePurpose => typeof p === 'string' && (FILE_PURPOSES as readonly string[]).includes(p);
