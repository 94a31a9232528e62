import type { Locator, Page } from '@playwright/test';
import { TabPanel } from './panel';

type Action = 'compare' | 'baseline' | 'check-database' | 'check-backup' | 'diff' | 'classify';

/** The Recovery wizard: baselines, compares, checks and their history. */
export class ValidationTab extends TabPanel {
  readonly url = this.page.getByTestId('validation-url');
  readonly backupPath = this.page.getByTestId('validation-backup-path');
  readonly password = this.page.getByTestId('validation-password');
  readonly rememberPassword = this.page.getByTestId('validation-remember-password');
  readonly result = this.page.getByTestId('validation-result');
  readonly runs = this.page.getByTestId('validation-run');

  constructor(page: Page) {
    super(page, 'validation-panel', 'validation');
  }

  async choose(action: Action): Promise<void> {
    await this.page.getByTestId('validation-action').selectOption(action);
  }

  /** Starts the chosen action; with a URL, on that database. */
  async run(o: { url?: string } = {}): Promise<void> {
    if (o.url !== undefined) await this.url.fill(o.url);
    await this.page.getByTestId('validation-start').click();
  }

  /** Waits until the result shown has this verdict and the panel is ready again. */
  async verdict(verdict: string): Promise<void> {
    await this.page.locator(`[data-testid="validation-result"][data-verdict="${verdict}"]`).waitFor();
    await this.ready();
  }

  /** The row of one view, routine, trigger or sequence in the compare result. */
  compareObject(name: string): Locator {
    return this.page.getByTestId('compare-object').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  readonly referenceUrl = this.page.getByTestId('validation-reference-url');
  readonly keys = this.page.getByTestId('diff-keys');
  readonly keyRows = this.page.getByTestId('diff-key');
  readonly regulatedData = this.page.getByTestId('regulated-data-facts');

  /** The row of one table in a diff's result. */
  diffRow(table: string): Locator {
    return this.page.locator(`[data-testid="diff-row"][data-table="${table}"]`);
  }

  /** Opens one table's key list from a diff's result. */
  async openKeys(table: string): Promise<void> {
    await this.diffRow(table).getByTestId('diff-open-keys').click();
    await this.page.locator(`[data-testid="diff-keys"][data-table="${table}"]`).waitFor();
  }

  /** Records the classes found as the IR lead's answers to the regulated-data decision. */
  async confirmRegulatedData(): Promise<void> {
    await this.page.getByTestId('regulated-data-confirm').click();
    await this.page.locator('[data-testid="regulated-data-facts"][data-state="confirmed"]').waitFor();
  }

  /** The row of one table in the compare result. */
  compareRow(table: string): Locator {
    return this.page.locator('[data-testid="compare-row"]', { hasText: table });
  }

  compareRowsWith(status: string): Locator {
    return this.page.locator(`[data-testid="compare-row"][data-status="${status}"]`);
  }

  /** Desktop app: the OS dialog fills a sqlite: URL. */
  async browseSqlite(): Promise<void> {
    await this.page.getByTestId('validation-browse-sqlite').click();
  }

  /** Desktop app: the OS dialog fills the backup path. */
  async browseBackup(): Promise<void> {
    await this.page.getByTestId('validation-browse-backup').click();
  }

  get browseSqliteButton(): Locator {
    return this.page.getByTestId('validation-browse-sqlite');
  }
}
