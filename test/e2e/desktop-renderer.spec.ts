import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, repoRoot, test } from './fixtures';
import { DesktopBridge } from './pages/desktop-bridge';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

test.describe('desktop renderer: native open dialogs', () => {
  let files: string;
  test.beforeEach(() => {
    files = mkdtempSync(join(tmpdir(), 'firebreak-dialogs-'));
  });
  test.afterEach(() => rmSync(files, { recursive: true, force: true }));

  test('evidence, CloudTrail folders, a SQLite file and a bundle to verify come from the OS dialog', async ({ page, app }) => {
    const trace = join(files, 'agent-trace.log');
    writeFileSync(trace, 'agent step 41: DROP TABLE orders;\n');
    const desktop = new DesktopBridge(page);
    await desktop.open(app);
    const list = new IncidentsPage(page);
    await list.startIncident({ playbook: 'agent-destructive-action', title: 'Orders dropped by the agent' });
    const { evidence, cloudtrail, validation, reports } = new RunPage(page);

    // Evidence: the dialog's paths are read by core directly; a cancelled dialog adds nothing.
    await evidence.open();
    await evidence.choose();
    await expect.poll(() => desktop.dialogsAsked()).toEqual(['evidence']);
    await expect(evidence.empty).toBeVisible();
    await desktop.willChoose('evidence', [trace]);
    await evidence.choose();
    await expect(evidence.row('agent-trace.log')).toHaveCount(1);

    // CloudTrail: a whole folder of exports, added to what is already listed.
    await cloudtrail.open();
    const folder = join(repoRoot, 'resources', 'sample', 'cloudtrail');
    await desktop.willChoose('cloudtrail-folder', [folder]);
    await cloudtrail.chooseFolder();
    await expect(cloudtrail.paths).toHaveValue(folder);
    await cloudtrail.importExports();
    await expect(cloudtrail.summary).toContainText('events from');

    // Validation: the dialog fills a sqlite: URL, and the backup path.
    await validation.open();
    const chinook = join(repoRoot, 'resources', 'sample', 'chinook.sqlite');
    await desktop.willChoose('sqlite', [chinook]);
    await validation.browseSqlite();
    await expect(validation.url).toHaveValue(`sqlite:${chinook}`);
    await validation.choose('check-backup');
    await desktop.willChoose('backup', [chinook]);
    await validation.browseBackup();
    await expect(validation.backupPath).toHaveValue(chinook);
    // Browser mode has no keychain: the remember option stays away, the reason is on the hint.
    await validation.choose('compare');
    await validation.password.fill('secret');
    await expect(validation.rememberPassword).toHaveCount(0);

    // Reports: a bundle someone sent is verified offline.
    await reports.open();
    const written = await reports.buildBundle();
    expect(written).toMatch(/\.zip$/);
    await desktop.willChoose('bundle', [written]);
    await reports.verifyBundleFile();
    await expect(reports.verification).toHaveAttribute('data-ok', 'true');
    expect(await desktop.dialogsAsked()).toEqual(['evidence', 'evidence', 'cloudtrail-folder', 'sqlite', 'backup', 'bundle']);
  });

  test('browser mode keeps the page picker: no native dialog buttons', async ({ page, app }) => {
    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.startIncident({ playbook: 'agent-destructive-action' });
    const { cloudtrail, validation } = new RunPage(page);
    await cloudtrail.open();
    await expect(cloudtrail.paths).toBeVisible();
    await expect(cloudtrail.chooseFolderButton).toHaveCount(0);
    await validation.open();
    await expect(validation.browseSqliteButton).toHaveCount(0);
  });
});
