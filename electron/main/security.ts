import { type WebContents, app, session, shell } from 'electron';

export const APP_ORIGIN = 'app://firebreak';

/** Only these hosts may be opened in the user's browser, and only over https. */
const EXTERNAL_ALLOW = new Set(['csrc.nist.gov', 'attack.mitre.org', 'docs.aws.amazon.com', 'www.cisecurity.org']);

export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_ALLOW.has(u.hostname);
  } catch {
    return false;
  }
}

/** Electron's security checklist, applied to every web contents the app ever creates. */
export function installSecurityHandlers(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Justified: only https URLs on the fixed allow-list above reach the OS browser.
      if (isAllowedExternal(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return { action: 'deny' };
    });
  });
}
