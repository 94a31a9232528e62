import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ElectronApplication, type Page, _electron as electron } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

/** The desktop suite runs where Electron's binary exists; elsewhere it is reported as skipped, with the reason. */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}
const binary = electronBinary();

test.describe('desktop app (Electron)', () => {
  test.skip(!binary, "Electron's binary is not installed on this machine (it cannot be downloaded without internet access)");

  let app: ElectronApplication;
  let win: Page;
  let dataDir: string;

  test.beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'firebreak-electron-'));
    app = await electron.launch({
      executablePath: binary as string,
      args: [repoRoot, '--no-sandbox'],
      cwd: repoRoot,
      env: { ...process.env, FIREBREAK_DATA_DIR: dataDir },
    });
    win = await app.firstWindow();
    await new IncidentsPage(win).firstScreen();
  });
  test.afterEach(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('launches, asks who is working, opens an incident', async () => {
    const ui = new IncidentsPage(win);
    expect(win.url()).toMatch(/^app:\/\/firebreak\//);
    await ui.sayWhoIsWorking('Dana Reyes', 'IR lead');
    await ui.openIncident({ title: 'Agent dropped the orders table' });
    await ui.backToList();
    await expect(ui.row('Agent dropped the orders table')).toHaveCount(1);
  });

  test('the page gets one bridge object and nothing of Node', async () => {
    const surface = await win.evaluate(() => ({
      bridge: Object.keys((window as unknown as { firebreak: object }).firebreak),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(surface).toEqual({ bridge: ['call', 'pathForFile', 'openPreview', 'chooseFiles'], require: 'undefined', process: 'undefined' });
    const refused = await win.evaluate(() =>
      (window as unknown as { firebreak: { call(m: string, i: unknown): Promise<unknown> } }).firebreak.call('no.such', {}),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  test('navigation away, new windows and permissions are denied', async () => {
    const before = win.url();
    await win.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await new IncidentsPage(win).firstScreen();
    expect(win.url()).toBe(before);
    const opened = await win.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
    const permission = await win.evaluate(async () => (await navigator.permissions.query({ name: 'geolocation' })).state);
    expect(permission).not.toBe('granted');
  });

  test('evidence chosen in the OS open dialog is added by path', async () => {
    const file = join(dataDir, 'agent-trace.log');
    writeFileSync(file, 'agent step 41: DROP TABLE orders;\n');
    // The dialog itself is the OS's: answer it in main, as the user would, and record what was asked.
    await app.evaluate(({ dialog }, chosen) => {
      const asked: string[] = [];
      (globalThis as unknown as { asked: string[] }).asked = asked;
      dialog.showOpenDialog = (async (_w: unknown, o: { title?: string }) => {
        asked.push(o.title ?? '');
        return { canceled: false, filePaths: [chosen] };
      }) as typeof dialog.showOpenDialog;
    }, file);
    const ui = new IncidentsPage(win);
    await ui.startIncident({ playbook: 'agent-destructive-action' });
    const { evidence } = new RunPage(win);
    await evidence.open();
    await evidence.choose();
    await expect(evidence.row('agent-trace.log')).toHaveCount(1);
    expect(await app.evaluate(() => (globalThis as unknown as { asked: string[] }).asked)).toEqual(['Add evidence files']);
  });

  test('database passwords: remembered only with an OS keychain, and the reason shown without one', async () => {
    const state = await win.evaluate(() =>
      (window as unknown as { firebreak: { call(m: string, i: unknown): Promise<unknown> } }).firebreak.call('validation.passwords', {}),
    );
    const vault = (state as { ok: true; value: { available: boolean; protection: string | null; reason: string | null } }).value;
    if (vault.available) expect(vault.protection).toMatch(/^OS keychain \(/);
    else expect(vault.reason).toMatch(/keychain/i);
  });

  test("SQLite validation opens the database with the desktop app's own better-sqlite3", async () => {
    const chinook = join(repoRoot, 'resources', 'sample', 'chinook.sqlite');
    const ui = new IncidentsPage(win);
    await ui.startIncident({ playbook: 'agent-destructive-action' });
    const { validation } = new RunPage(win);
    await validation.open();
    await validation.choose('check-database');
    await validation.run({ url: `sqlite:${chinook}` });
    await expect(validation.result).toHaveAttribute('data-verdict', 'ok');
  });
});
