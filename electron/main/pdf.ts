import { BrowserWindow } from 'electron';
import type { PdfRenderer, PreviewStore } from '../core/index';
import { PREVIEW_SHOW_PREFIX } from '../shared/contract/index';
import { APP_ORIGIN } from './security';

const MM_PER_INCH = 25.4;

/**
 * Reports to PDF inside the desktop app, with Electron's own printToPDF: the report is loaded from a one-off
 * app://firebreak/preview/ URL (its strict, script-free policy) into a hidden, sandboxed window with JavaScript off, and
 * printed with the same page templates and margins as the Chromium printer of the CLI and browser mode.
 */
export function electronPdf(previews: PreviewStore): PdfRenderer {
  return {
    async render(html, templates) {
      const win = new BrowserWindow({
        show: false,
        webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false, webviewTag: false, disableBlinkFeatures: 'Auxclick' },
      });
      try {
        await win.loadURL(`${APP_ORIGIN}${PREVIEW_SHOW_PREFIX}${previews.put(html)}`);
        return await win.webContents.printToPDF({
          pageSize: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: templates.headerTemplate,
          footerTemplate: templates.footerTemplate,
          margins: { top: 18 / MM_PER_INCH, bottom: 18 / MM_PER_INCH, left: 12 / MM_PER_INCH, right: 12 / MM_PER_INCH },
        });
      } finally {
        win.destroy();
      }
    },
    async close() {},
  };
}
