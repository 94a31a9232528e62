import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { Core, PreviewStore } from '../core/index';
import { PREVIEW_CHANNEL, PREVIEW_SHOW_PREFIX, apiMethods, contract, ipcChannel } from '../shared/contract/index';
import type { Result } from '../shared/result';
import { APP_ORIGIN } from './security';

/** An IPC message is served only when it comes from our window's main frame showing our own app:// page. */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!window || !frame || event.sender !== window.webContents) return false;
  if (frame !== window.webContents.mainFrame) return false;
  return frame.url.startsWith(`${APP_ORIGIN}/`);
}

export const UNTRUSTED_SENDER: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'Refused: the request did not come from the Firebreak window.' },
};

/** One handler per Api method, all derived from the contract; input is validated by dispatch after the sender check. */
export function registerIpc(core: Core, getWindow: () => BrowserWindow | null, previews: PreviewStore): void {
  // Report previews: rendered by the Api (its input validated there), shown from app://firebreak/preview/<id>.
  ipcMain.handle(PREVIEW_CHANNEL, async (event, input: unknown) => {
    if (!isTrustedSender(event, getWindow())) return UNTRUSTED_SENDER;
    const r = await core.call('reports.preview', input);
    if (!r.ok) return r;
    return { ok: true, value: { url: `${APP_ORIGIN}${PREVIEW_SHOW_PREFIX}${previews.put((r.value as { html: string }).html)}` } };
  });
  for (const method of apiMethods) {
    ipcMain.handle(ipcChannel(method), async (event, input: unknown) => {
      if (!isTrustedSender(event, getWindow())) return UNTRUSTED_SENDER;
      if (contract[method].local) {
        return { ok: false, error: { code: 'forbidden', message: `${method} writes a file where its caller says: only the CLI may call it.` } };
      }
      return core.call(method, input);
    });
  }
}
