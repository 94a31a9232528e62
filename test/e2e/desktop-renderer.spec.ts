import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

/**
 * The renderer as the desktop app shows it, where no Electron binary exists: the page gets a `window.firebreak` shaped
 * exactly like the preload's, whose call() goes to the real core over browser mode's HTTP Api and whose chooseFiles()
 * answers as the OS dialog would. Only the dialog, the part of the world beyond Electron, is stood in for; the
 * `_electron` suite drives the real one where a binary exists.
 */
async function openAsDesktop(page: Page, app: { origin: string; token: string }): Promise<void> {
  await page.addInitScript((token: string) => {
    const w = window as unknown as { __dialogAnswers: Record<string, string[]>; __dialogsAsked: string[]; firebreak: unknown };
    w.__dialogAnswers = {};
    w.__dialogsAsked = [];
    w.firebreak = {
      call: async (method: string, input: unknown) => {
        const res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        return res.json();
      },
      chooseFiles: async (purpose: string) => {
        w.__dialogsAsked.push(purpose);
        return { ok: true, value: w.__dialogAnswers[purpose] ?? [] };
      },
    };
  }, app.token);
  await page.goto(`${app.origin}/`);
  await page.locator('[data-state="ready"]').first().waitFor();
}

/** What the user will pick in the next dialog of this purpose. */
const willChoose = (page: Page, purpose: string, paths: string[]) =>
  page.evaluate(([p, chosen]) => ((window as unknown as { __dialogAnswers: Record<string, string[]> }).__dialogAnswers[p as string] = chosen as string[]), [purpose, paths] as const);
const dialogsAsked = (page: Page) => page.evaluate(() => (window as unknown as { __dialogsAsked: string[] }).__dialogsAsked);

test.describe('desktop renderer: native open dialogs', () => {
  let files: string;
  test.beforeEach(() => {
    files = mkdtempSync(join(tmpdir(), 'firebreak-dialogs-'));
  });
  test.afterEach(() => rmSync(files, { recursive: true, force: true }));

  test('evidence, CloudTrail folders, a SQLite file and a bundle to verify come from the OS dialog', async ({ page, app }) => {
    const trace = join(files, 'agent-trace.log');
    writeFileSync(trace, 'agent step 41: DROP TABLE orders;\n');
    await openAsDesktop(page, app);
    const list = new IncidentsPage(page);
    await list.startIncident({ playbook: 'agent-destructive-action', title: 'Orders dropped by the agent' });
    const run = new RunPage(page);

    // Evidence: the dialog's paths are read by core directly; a cancelled dialog adds nothing.
    await run.tab('evidence');
    await page.getByTestId('evidence-input-choose').click();
    await expect.poll(() => dialogsAsked(page)).toEqual(['evidence']);
    await expect(page.getByTestId('evidence-empty')).toBeVisible();
    await willChoose(page, 'evidence', [trace]);
    await page.getByTestId('evidence-input-choose').click();
    await expect(page.getByTestId('evidence-row').filter({ hasText: 'agent-trace.log' })).toHaveCount(1);

    // CloudTrail: a whole folder of exports, added to what is already listed.
    await run.tab('cloudtrail');
    const folder = join(repoRoot, 'resources', 'sample', 'cloudtrail');
    await willChoose(page, 'cloudtrail-folder', [folder]);
    await page.getByTestId('cloudtrail-choose-folder').click();
    await expect(page.getByTestId('cloudtrail-paths')).toHaveValue(folder);
    await page.getByTestId('cloudtrail-import').click();
    await expect(page.getByTestId('cloudtrail-summary')).toContainText('events from');

    // Validation: the dialog fills a sqlite: URL, and the backup path.
    await run.tab('validation');
    const chinook = join(repoRoot, 'resources', 'sample', 'chinook.sqlite');
    await willChoose(page, 'sqlite', [chinook]);
    await page.getByTestId('validation-browse-sqlite').click();
    await expect(page.getByTestId('validation-url')).toHaveValue(`sqlite:${chinook}`);
    await page.getByTestId('validation-panel').screenshot({ path: join(repoRoot, 'docs', 'screenshots', 'desktop-validation-dialogs.png') });
    await page.getByTestId('validation-action').selectOption('check-backup');
    await willChoose(page, 'backup', [chinook]);
    await page.getByTestId('validation-browse-backup').click();
    await expect(page.getByTestId('validation-backup-path')).toHaveValue(chinook);
    // Browser mode has no keychain: the remember option stays away, the reason is on the hint.
    await page.getByTestId('validation-action').selectOption('compare');
    await page.getByTestId('validation-password').fill('secret');
    await expect(page.getByTestId('validation-remember-password')).toHaveCount(0);

    // Reports: a bundle someone sent is verified offline.
    await run.tab('reports');
    await page.getByTestId('bundle-full').click();
    const written = (await page.getByTestId('bundle-result').locator('.mono').first().textContent()) ?? '';
    expect(written).toMatch(/\.zip$/);
    await willChoose(page, 'bundle', [written]);
    await page.getByTestId('bundle-verify-file').click();
    await expect(page.getByTestId('bundle-verification')).toHaveAttribute('data-ok', 'true');
    expect(await dialogsAsked(page)).toEqual(['evidence', 'evidence', 'cloudtrail-folder', 'sqlite', 'backup', 'bundle']);
  });

  test('browser mode keeps the page picker: no native dialog buttons', async ({ page, app }) => {
    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.startIncident({ playbook: 'agent-destructive-action' });
    const run = new RunPage(page);
    await run.tab('cloudtrail');
    await expect(page.getByTestId('cloudtrail-paths')).toBeVisible();
    await expect(page.getByTestId('cloudtrail-choose-folder')).toHaveCount(0);
    await run.tab('validation');
    await expect(page.getByTestId('validation-browse-sqlite')).toHaveCount(0);
  });
});
