import type { Locator, Page } from '@playwright/test';

/** "Query in Athena" on the CloudTrail tab: the form, the estimate with its SQL, the run. */
export class AthenaQuery {
  readonly root: Locator;
  readonly estimate: Locator;
  readonly sql: Locator;
  readonly runButton: Locator;
  readonly result: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('athena-query');
    this.estimate = page.getByTestId('athena-estimate');
    this.sql = page.getByTestId('athena-sql');
    this.runButton = page.getByTestId('athena-run');
    this.result = page.getByTestId('athena-result');
    this.error = page.getByTestId('athena-error');
  }

  async fill(fields: Partial<Record<'database' | 'table' | 'regions' | 'start' | 'bucket' | 'organizationId' | 'endpoint', string>> & { createTable?: boolean }): Promise<void> {
    if (!(await this.root.evaluate((d) => (d as HTMLDetailsElement).open))) await this.page.getByTestId('athena-open').click();
    if (fields.createTable) await this.page.getByTestId('athena-createTable').check();
    for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') await this.page.getByTestId(`athena-${key}`).fill(value);
  }

  /** Asks for the estimate and waits for it. */
  async askEstimate(): Promise<void> {
    await this.page.getByTestId('athena-estimate-button').click();
    await this.estimate.waitFor();
  }

  /** Runs in Athena and waits for the answer. */
  async run(): Promise<void> {
    await this.runButton.click();
    await this.result.or(this.error).waitFor({ timeout: 60_000 });
  }
}
