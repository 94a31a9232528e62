import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../core/index';
import type { ApiInput, ApiMethod, ApiOutput, ApiProgress } from '../shared/contract/index';
import type { ApiError, ErrorCode } from '../shared/result';

/** The repository (or installed package) root: playbooks/, dist/renderer/ and package.json live there. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const version = (JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The CLI contract: 0 ok, 1 a check found a problem, 2 bad usage or unreadable input. */
export const EXIT = { ok: 0, problem: 1, usage: 2 } as const;
type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Ends a command with an exit code and a message on stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The one mapping from an Api error to an exit code. A gate that is not met or a check that failed is a problem the
 * command found (1); everything else is input the command could not use (2). Every command's errors pass through here.
 */
const EXIT_OF: Record<ErrorCode, ExitCode> = {
  'gate-not-met': EXIT.problem,
  'check-failed': EXIT.problem,
  'bad-input': EXIT.usage,
  'not-found': EXIT.usage,
  conflict: EXIT.usage,
  'no-operator': EXIT.usage,
  cancelled: EXIT.usage,
  unavailable: EXIT.usage,
  forbidden: EXIT.usage,
  internal: EXIT.usage,
};

/** An Api error as the CLI ends with it: its message, then each detail indented. */
export const exitFor = (error: ApiError): CliExit =>
  new CliExit(EXIT_OF[error.code], [`firebreak: ${error.message}`, ...(error.details ?? []).map((d) => `  ${d}`)].join('\n'));

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface GlobalOptions {
  dataDir?: string;
  actor?: string;
  role?: string;
}

export interface CallFlags<M extends ApiMethod> {
  onProgress?: (progress: ApiProgress<M>) => void;
  /** Work that records nothing runs on a scratch core: no data directory is opened or created. */
  scratch?: boolean;
}

interface OpenOptions {
  withOperator?: boolean;
  mode?: 'cli' | 'browser';
  scratch?: boolean;
}

/**
 * What every command gets: output, the global options, and the Api. Core is loaded only when a command first calls it,
 * so `--help` and `--version` load none of it.
 */
export class CliEnv {
  private readonly cores: { record?: Core; scratch?: Core } = {};

  constructor(
    readonly io: Io,
    readonly env: NodeJS.ProcessEnv,
    readonly globals: () => GlobalOptions,
  ) {}

  /**
   * The role a command names with its own --role: the program takes --role wherever it stands (it is also the actor's
   * role), so a command's --role arrives there. Bad usage (exit 2) when it is missing.
   */
  commandRole(own: string | undefined, command: string): string {
    const role = own ?? this.globals().role;
    if (!role?.trim()) throw new CliExit(EXIT.usage, `firebreak: ${command} needs --role ROLE`);
    // It is the command's: the actor's role comes from FIREBREAK_ROLE (or the default), not from this --role.
    this.roleIsCommands = true;
    return role;
  }

  private roleIsCommands = false;

  /** The person the CLI acts for: --actor, FIREBREAK_ACTOR, or the OS user. */
  operator() {
    const g = this.globals();
    const name = (g.actor ?? this.env.FIREBREAK_ACTOR ?? safeUserName()).trim();
    const role = ((this.roleIsCommands ? undefined : g.role) ?? this.env.FIREBREAK_ROLE ?? 'Operator').trim();
    if (!name) throw new CliExit(EXIT.usage, 'firebreak: --actor must not be empty');
    return { name, role };
  }

  /** Opens core on the data directory (or a scratch store), once per kind for the command. */
  async open(options: OpenOptions = {}): Promise<Core> {
    const kind = options.scratch ? 'scratch' : 'record';
    const open = this.cores[kind];
    if (open) return open;
    const [{ openCore }, { FirebreakError }, { defaultDataDir }] = await Promise.all([
      import('../core/index'),
      import('../core/errors'),
      import('../core/paths'),
    ]);
    try {
      const core = openCore({
        dataDir: resolve(this.globals().dataDir ?? defaultDataDir(this.env)),
        resourcesDir: packageRoot,
        mode: options.mode ?? 'cli',
        version,
        // Browser mode serves a page: its Api reads no credentials from the environment of whoever started the server.
        ...(options.mode === 'browser' ? {} : { env: this.env }),
        ...(options.withOperator === false ? {} : { operator: this.operator() }),
        ...(this.env.FIREBREAK_SQLITE_BINDING ? { nativeBinding: this.env.FIREBREAK_SQLITE_BINDING } : {}),
        ...(options.scratch ? { scratch: true } : {}),
      });
      this.cores[kind] = core;
      return core;
    } catch (e) {
      if (e instanceof FirebreakError) throw exitFor(e.toApiError());
      throw e;
    }
  }

  /**
   * Calls the Api exactly as the UI does; an error becomes the exit code and message of the contract. Ctrl-C cancels
   * long work cleanly (what it had recorded stays, or is rolled back, as the method says); a second Ctrl-C ends the process.
   */
  async call<M extends ApiMethod>(method: M, input: ApiInput<M>, flags: CallFlags<M> = {}): Promise<ApiOutput<M>> {
    // What the call will need and is slow to start (a scan's reader threads, the first large file of an evidence add)
    // starts while core loads, not after; a copy begun for evidence goes into the data folder's store, never elsewhere.
    const [{ warmFor }, { defaultDataDir }] = await Promise.all([import('../core/warm'), import('../core/paths')]);
    let dataDir: string | undefined;
    try {
      dataDir = flags.scratch ? undefined : resolve(this.globals().dataDir ?? defaultDataDir(this.env));
    } catch {
      // Opening core says what is wrong with the data folder.
    }
    await warmFor(method, input, packageRoot, dataDir);
    const core = await this.open({ scratch: Boolean(flags.scratch) });
    const { contract } = await import('../shared/contract/index');
    const interrupt = new AbortController();
    const onSigint = () => interrupt.abort();
    if (contract[method].long) process.once('SIGINT', onSigint);
    try {
      const r = await core.call(method, input, {
        signal: interrupt.signal,
        ...(flags.onProgress ? { onProgress: flags.onProgress as (p: unknown) => void } : {}),
      });
      if (!r.ok) throw exitFor(r.error);
      return r.value as ApiOutput<M>;
    } finally {
      process.off('SIGINT', onSigint);
    }
  }

  json(value: unknown): void {
    this.io.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  close(): void {
    this.cores.record?.close();
    this.cores.scratch?.close();
    delete this.cores.record;
    delete this.cores.scratch;
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
