import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { FirebreakBridge } from '../shared/client';
import { FILE_DIALOG_CHANNEL, PREVIEW_CHANNEL, ipcChannel, isApiMethod } from '../shared/contract/index';

/**
 * Exactly one object crosses into the page: a typed call() over the contract's channels, the path of a file the user
 * dropped or picked (for evidence intake), report previews and the OS open dialog; nothing else of Node or IPC.
 */
const bridge: FirebreakBridge = {
  call: (method, input) => {
    if (!isApiMethod(method)) {
      return Promise.resolve({ ok: false, error: { code: 'not-found', message: `There is no Api method "${String(method)}".` } });
    }
    return ipcRenderer.invoke(ipcChannel(method), input);
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  openPreview: (input) => ipcRenderer.invoke(PREVIEW_CHANNEL, input),
  chooseFiles: (purpose) => ipcRenderer.invoke(FILE_DIALOG_CHANNEL, purpose),
};

contextBridge.exposeInMainWorld('firebreak', bridge);
