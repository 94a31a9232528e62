import type { FirebreakBridge } from '../../../electron/shared/client';
import type { ApiInput, ApiMethod, ApiOutput, FilePurpose } from '../../../electron/shared/contract/index';
import type { Result } from '../../../electron/shared/result';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    firebreak?: FirebreakBridge;
  }
}

const TOKEN_KEY = 'firebreak.token';

/** Browser mode: the per-run token arrives in the URL fragment (never sent to a server or a Referer); keep it for reloads. */
export function takeTokenFromLocation(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpBridge(token: string): FirebreakBridge {
  return {
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>> {
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        return { ok: false, error: { code: 'unavailable', message: `Firebreak is not answering (${(e as Error).message}). Is firebreak serve still running?` } };
      }
      if (res.status === 401) {
        return { ok: false, error: { code: 'unavailable', message: 'This page has no valid session token. Open the URL that firebreak serve printed.' } };
      }
      try {
        return (await res.json()) as Result<ApiOutput<M>>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `Unexpected answer from Firebreak (HTTP ${res.status}).` } };
      }
    },
  };
}

export type Transport = { kind: 'electron' | 'browser'; bridge: FirebreakBridge } | { kind: 'missing-token' };

/** The renderer never knows more than this: IPC through the preload, or HTTP with the token. */
export function connect(): Transport {
  if (window.firebreak) return { kind: 'electron', bridge: window.firebreak };
  const token = takeTokenFromLocation();
  return token ? { kind: 'browser', bridge: httpBridge(token) } : { kind: 'missing-token' };
}

let bridge: FirebreakBridge | null = null;
export const setBridge = (b: FirebreakBridge) => {
  bridge = b;
};
export const bridgeOf = (): FirebreakBridge | null => bridge;
/** Browser mode's session token (for the streamed evidence upload); null in Electron. */
export const tokenOf = (): string | null => (window.firebreak ? null : sessionStorage.getItem(TOKEN_KEY));

/** Calls the Api and throws ApiCallError on failure, so stores can keep one error path. */
export async function api<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  if (!bridge) throw new ApiCallError({ code: 'unavailable', message: 'Not connected to Firebreak.' });
  const r = await bridge.call(method, input);
  if (!r.ok) throw new ApiCallError(r.error);
  return r.value;
}

export class ApiCallError extends Error {
  readonly details: string[];
  constructor(readonly error: { code: string; message: string; details?: string[] }) {
    super(error.message);
    this.details = error.details ?? [];
  }
}

export const errorText = (e: unknown): string =>
  e instanceof ApiCallError ? [e.message, ...e.details].join('\n') : e instanceof Error ? e.message : String(e);

/**
 * The desktop app's native open dialog; null where there is none (browser mode), so callers fall back to the page's
 * own picker. An empty list means the user cancelled.
 */
export async function chooseFiles(purpose: FilePurpose): Promise<string[] | null> {
  if (!bridge?.chooseFiles) return null;
  const r = await bridge.chooseFiles(purpose);
  if (!r.ok) throw new ApiCallError(r.error);
  return r.value;
}

/** Whether the native open dialog is there (desktop app). */
export const hasNativeDialogs = (): boolean => Boolean(bridge?.chooseFiles);
