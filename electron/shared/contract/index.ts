/**
 * The Api, declared once. Every adapter (Electron IPC, browser-mode HTTP, CLI) and the renderer derive from this map:
 * the method name is the channel, its zod schema validates input at every boundary, and its phantom output types the
 * result. Each domain declares its methods in its own file; add a domain here.
 */
import type * as z from 'zod';
import { athenaContract } from './athena';
import { auditContract } from './audit';
import { checkpointsContract } from './checkpoints';
import { cloudtrailContract } from './cloudtrail';
import { dbLogsContract } from './db-logs';
import { evidenceContract } from './evidence';
import { gapContract } from './gap';
import { iamContract } from './iam';
import { incidentsContract } from './incidents';
import { logsContract } from './logs';
import { type CallContext, type Operation, operationsContract } from './operations';
import { playbooksContract } from './playbooks';
import { reportsContract } from './reports';
import { rowDiffContract } from './row-diff';
import { sampleContract } from './sample';
import { sessionContract } from './session';
import { signersContract } from './signers';
import { signoffContract } from './signoff';
import { validationContract } from './validation';
import { timelineContract } from './timeline';
import { tracesContract } from './traces';
import { workflowContract } from './workflow';

export type { CallContext, CallOptions, Operation, StreamBody } from './operations';

export const contract = {
  ...sessionContract,
  ...playbooksContract,
  ...incidentsContract,
  ...auditContract,
  ...checkpointsContract,
  ...evidenceContract,
  ...cloudtrailContract,
  ...logsContract,
  ...athenaContract,
  ...iamContract,
  ...tracesContract,
  ...timelineContract,
  ...validationContract,
  ...dbLogsContract,
  ...rowDiffContract,
  ...workflowContract,
  ...sampleContract,
  ...gapContract,
  ...signersContract,
  ...signoffContract,
  ...reportsContract,
  ...operationsContract,
} as const;

export type Contract = typeof contract;
export type ApiMethod = keyof Contract;
export type ApiInput<M extends ApiMethod> = z.input<Contract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<Contract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = Contract[M]['output'];
/** What a method reports while it works (never: nothing). */
export type ApiProgress<M extends ApiMethod> = Contract[M]['progress'];

/**
 * What core implements for one method: parsed input in, value out (errors thrown, enveloped by dispatch). The second
 * argument carries the caller's cancel, the progress reporter and, for an upload, the streamed body.
 */
export type ApiHandler<M extends ApiMethod> = (input: ApiParsedInput<M>, call: CallContext<ApiProgress<M>>) => ApiOutput<M> | Promise<ApiOutput<M>>;
export type ApiHandlers = { [M in ApiMethod]: ApiHandler<M> };

export const apiMethods = Object.keys(contract) as ApiMethod[];

export const isApiMethod = (name: unknown): name is ApiMethod =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

/** The methods IPC and HTTP carry: all but those only the CLI may call in its own process. */
export const remoteMethods = apiMethods.filter((m) => !contract[m].local);

/** A running operation of one method, with that method's progress type. */
export type OperationOf<M extends ApiMethod> = Operation<ApiProgress<M>> & { method: M };

/** The latest progress of operation `id` of `method` in an `operations.list` answer, or null. */
export function progressOf<M extends ApiMethod>(ops: readonly Operation[], id: string, method: M): ApiProgress<M> | null {
  const op = ops.find((o): o is OperationOf<M> => o.id === id && o.method === method);
  return op?.progress ?? null;
}

/** The IPC channel of a method; the HTTP route is `/api/<method>`. */
export const ipcChannel = (m: ApiMethod): string => `firebreak:${m}`;
export const HTTP_API_PREFIX = '/api/';
/** A method with a streamed body is POSTed as application/octet-stream, its input as JSON in this query parameter. */
export const STREAM_INPUT_PARAM = 'input';
export const httpRoute = (m: ApiMethod): string => `${HTTP_API_PREFIX}${m}`;
/** Report previews: opened through this channel (Electron) or path (browser mode), shown from `<prefix><id>`. */
export const PREVIEW_CHANNEL = 'firebreak:preview';
export const PREVIEW_OPEN_PATH = '/preview';
export const PREVIEW_SHOW_PREFIX = '/preview/';

/**
 * The desktop app's native open dialogs: the page names what it wants files for, and main alone decides the dialog's
 * options (title, filters, files or folders). The answer is the chosen paths, or none when the user cancelled.
 */
export const FILE_DIALOG_CHANNEL = 'firebreak:choose-files';
export const FILE_PURPOSES = ['evidence', 'cloudtrail-files', 'cloudtrail-folder', 'backup', 'sqlite', 'bundle', 'trace-files'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
export const isFilePurpose = (p: unknown): p is FilePurpose => typeof p === 'string' && (FILE_PURPOSES as readonly string[]).includes(p);
