import type { ApiInput, ApiMethod, ApiOutput, FilePurpose } from './contract/index';
import type { Result } from './result';

/** The one object the renderer sees, whichever transport carries it. Exposed as window.firebreak in Electron. */
export interface FirebreakBridge {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>>;
  /** Electron only: the path on disk of a dropped or picked file, so core reads it directly (no copy through IPC). */
  pathForFile?(file: File): string;
  /** Electron only: renders a report preview and returns the app:// URL a sandboxed frame can show. */
  openPreview?(input: ApiInput<'reports.preview'>): Promise<Result<{ url: string }>>;
  /** Electron only: the OS's open dialog for a purpose; the chosen paths, or [] when the user cancelled. */
  chooseFiles?(purpose: FilePurpose): Promise<Result<string[]>>;
}
