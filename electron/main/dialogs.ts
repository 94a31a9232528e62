import { type BrowserWindow, dialog, ipcMain } from 'electron';
import { FILE_DIALOG_CHANNEL } from '../shared/contract/index';
import { answerFileDialog } from './dialog-options';
import { isTrustedSender } from './ipc';

/** The OS open dialog, attached to our window, for a purpose main knows; the page learns only the chosen paths. */
export function registerFileDialogs(getWindow: () => BrowserWindow | null): void {
  ipcMain.handle(FILE_DIALOG_CHANNEL, (event, purpose: unknown) => {
    const window = getWindow();
    return answerFileDialog(purpose, window !== null && isTrustedSender(event, window), (options) => dialog.showOpenDialog(window as BrowserWindow, options));
  });
}
