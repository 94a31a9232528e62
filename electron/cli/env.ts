import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Core, openCore } from '../core/core';
import { FirebreakError } from '../core/errors';
import { defaultDataDir } from '../core/paths';
import type { ApiMethod, ApiOutput, ApiInput } from '../shared/contract/index';
import type { ErrorCode } from '../shared/result';

/** The repository (or installed package) root: playbooks/, dist/renderer/ and package.json live there. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const version = (JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

export const EXIT = { ok: 0, problem: 1, usage: 2 } as const;

/** Ends a command with an exit code and a message on stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface GlobalOptions {
  dataDir?: string;
  actor?: string;
  role?: string;
}

const exitFor = (code: ErrorCode): number => (code === 'gate-not-met' || code === 'check-failed' ? EXIT.problem : EXIT.usage);

/** What every command gets: output, the global options, and the engine opened on demand. */
export class CliEnv {
  private core: Core | undefined;

  constructor(
    readonly io: Io,
    readonly env: NodeJS.ProcessEnv,
    readonly globals: () => GlobalOptions,
  ) {}

  dataDir(): string {
    return resolve(this.globals().dataDir ?? defaultDataDir(this.env));
  }

  /** The person the CLI acts for: --actor, FIREBREAK_ACTOR, or the OS user. */
  operator() {
    const g = this.globals();
    const name = (g.actor ?? this.env.FIREBREAK_ACTOR ?? safeUserName()).trim();
    const role = (g.role ?? this.env.FIREBREAK_ROLE ?? 'Operator').trim();
    if (!name) throw new CliExit(EXIT.usage, 'firebreak: --actor must not be empty');
    return { name, role };
  }

  open(options: { withOperator?: boolean; mode?: 'cli' | 'browser' } = {}): Core {
    if (!this.core) {
      try {
        this.core = openCore({
          dataDir: this.dataDir(),
          resourcesDir: packageRoot,
          mode: options.mode ?? 'cli',
          version,
          ...(options.withOperator === false ? {} : { operator: this.operator() }),
          ...(this.env.FIREBREAK_SQLITE_BINDING ? { nativeBinding: this.env.FIREBREAK_SQLITE_BINDING } : {}),
        });
      } catch (e) {
        if (e instanceof FirebreakError) throw new CliExit(exitFor(e.code), `firebreak: ${e.message}`);
        throw e;
      }
    }
    return this.core;
  }

  /** Calls the Api exactly as the UI does; an error becomes the exit code and message of the contract. */
  async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    const r = await this.open().call(method, input);
    if (!r.ok) {
      const lines = [`firebreak: ${r.error.message}`, ...(r.error.details ?? []).map((d) => `  ${d}`)];
      throw new CliExit(exitFor(r.error.code), lines.join('\n'));
    }
    return r.value as ApiOutput<M>;
  }

  json(value: unknown): void {
    this.io.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  close(): void {
    this.core?.close();
    this.core = undefined;
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
