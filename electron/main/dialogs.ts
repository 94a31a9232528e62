import { type BrowserWindow, dialog, ipcMain } from 'electron';
import { FILE_DIALOG_CHANNEL, FILE_PURPOSES, isFilePurpose } from '../shared/contract/index';
import type { Result } from '../shared/result';
import { dialogOptionsFor } from './dialog-options';
import { isTrustedSender } from './ipc';

/** The OS open dialog, attached to our window, for a purpose main knows; the page learns only the chosen paths. */
export function registerFileDialogs(getWindow: () => BrowserWindow | null): void {
  ipcMain.handle(FILE_DIALOG_CHANNEL, async (event, purpose: unknown): Promise<Result<string[]>> => {
    const window = getWindow();
    if (!window || !isTrustedSender(event, window)) {
      return { ok: false, error: { code: 'bad-input', message: 'Refused: the request did not come from the Firebreak window.' } };
    }
    if (!isFilePurpose(purpose)) {
      return { ok: false, error: { code: 'bad-input', message: `There is no file dialog for "${String(purpose)}"; ask for one of: ${FILE_PURPOSES.join(', ')}.` } };
    }
    const r = await dialog.showOpenDialog(window, dialogOptionsFor(purpose));
    return { ok: true, value: r.canceled ? [] : r.filePaths };
  });
}
