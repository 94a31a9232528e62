import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserWindow, app, dialog } from 'electron';
import { FirebreakError } from '../core/errors';
import { type Core, PreviewStore, openCore } from '../core/index';
import { defaultDataDir } from '../core/paths';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { watchRegulatoryClocks } from './clock-notifications';
import { registerFileDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { databasePasswordSealer, signingKeySealer } from './keychain';
import { electronPdf } from './pdf';
import { installMenu } from './menu';
import { APP_ORIGIN, installSecurityHandlers } from './security';

/**
 * The Electron build keeps its own better-sqlite3 binary, rebuilt for Electron's ABI, so that Node's tests and the
 * desktop app never fight over one .node file.
 */
function electronSqliteBinding(): string | undefined {
  const candidates = [
    process.env.FIREBREAK_SQLITE_BINDING,
    join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
    join(app.getAppPath(), 'build', 'electron-native', 'better_sqlite3.node'),
  ];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p as string));
}

// A packaged app loads only its own native module and printer: the developer overrides could point it at any code.
if (app.isPackaged) {
  delete process.env.FIREBREAK_SQLITE_BINDING;
  delete process.env.FIREBREAK_CHROMIUM;
}

/** The message for a failed start; a better-sqlite3 built for Node instead of Electron gets its remedy named. */
function startFailure(e: unknown): string {
  if (e instanceof FirebreakError) return e.message;
  const text = e instanceof Error ? e.message : String(e);
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(text)) {
    return (
      "Firebreak's database module (better-sqlite3) is not built for this Electron, and build/electron-native/ has no binary that is. " +
      'Run `npm run rebuild:electron-native` (it needs to reach Electron\'s headers or a prebuilt binary), or use browser mode: `npx firebreak serve`.\n\n' +
      text
    );
  }
  return text;
}

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core?.close());

  void app.whenReady().then(() => {
    installSecurityHandlers();
    const appPath = app.getAppPath();
    const previews = new PreviewStore();
    try {
      const binding = electronSqliteBinding();
      const sealer = signingKeySealer();
      core = openCore({
        dataDir: defaultDataDir(),
        resourcesDir: appPath,
        mode: 'electron',
        version: app.getVersion(),
        ...(binding ? { nativeBinding: binding } : {}),
        ...(sealer ? { keySealer: sealer } : {}),
        passwordSealer: databasePasswordSealer(),
        pdf: () => electronPdf(previews),
      });
    } catch (e) {
      dialog.showErrorBox('Firebreak cannot start', startFailure(e));
      app.exit(2);
      return;
    }
    handleAppProtocol(join(appPath, 'dist', 'renderer'), previews);
    registerIpc(core, () => mainWindow, previews);
    registerFileDialogs(() => mainWindow);
    installMenu(() => mainWindow);
    const stopClockWatch = watchRegulatoryClocks(core);
    app.on('will-quit', stopClockWatch);

    mainWindow = new BrowserWindow({
      width: 1280,
      height: 800,
      minWidth: 960,
      minHeight: 600,
      title: 'Firebreak',
      show: false,
      webPreferences: {
        // Justified: the preload is ours, sandboxed, and exposes one object (window.firebreak.call) that forwards only
        // contract method names; IPC input is validated in main after the sender-frame check.
        preload: join(__dirname, 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        spellcheck: false,
        // Middle-click would otherwise open links in a new window outside will-navigate's reach.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  });
}
