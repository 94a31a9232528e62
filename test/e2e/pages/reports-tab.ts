import type { Download, Locator, Page } from '@playwright/test';
import { TabPanel } from './panel';

/** Reports: the sandboxed preview, exports, and the case bundle. */
export class ReportsTab extends TabPanel {
  readonly preview = this.page.getByTestId('report-preview');
  readonly bundleResult = this.page.getByTestId('bundle-result');
  readonly verification = this.page.getByTestId('bundle-verification');
  readonly fingerprints = this.page.getByTestId('bundle-fingerprints');

  constructor(page: Page) {
    super(page, 'reports-panel', 'reports');
  }

  /** Text inside the sandboxed preview. */
  previewText(text: string): Locator {
    return this.page.frameLocator('[data-testid="report-preview"]').getByText(text).first();
  }

  /** Exports the shown report in this format; the browser's download of it. */
  async export(format: string): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId(`export-${format}`).click();
    return download;
  }

  /** Builds the full case bundle and returns the path it was written to. */
  async buildBundle(): Promise<string> {
    await this.page.getByTestId('bundle-full').click();
    await this.bundleResult.waitFor({ timeout: 120_000 });
    return (await this.bundleResult.locator('.mono').first().textContent()) ?? '';
  }

  async verifyBundle(): Promise<void> {
    await this.page.getByTestId('bundle-verify').click();
    await this.verification.waitFor();
  }

  /** Desktop app: a bundle file chosen in the OS dialog is verified. */
  async verifyBundleFile(): Promise<void> {
    await this.page.getByTestId('bundle-verify-file').click();
    await this.verification.waitFor();
  }
}
