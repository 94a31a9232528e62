import type { Locator, Page } from '@playwright/test';
import { TabPanel } from './panel';

type Files = Parameters<Locator['setInputFiles']>[0];

/** The evidence locker: intake, hashes, custody, verification. */
export class EvidenceTab extends TabPanel {
  readonly rows = this.page.getByTestId('evidence-row');
  readonly empty = this.page.getByTestId('evidence-empty');
  readonly verification = this.page.getByTestId('verification-result');
  readonly custody = this.page.getByTestId('custody');

  constructor(page: Page) {
    super(page, 'evidence-panel', 'evidence');
  }

  /** Adds files through the page's own picker (browser mode). */
  async add(files: Files): Promise<void> {
    await this.page.getByTestId('evidence-input').setInputFiles(files);
  }

  /** Clicks "Choose files…": the OS dialog in the desktop app. */
  async choose(): Promise<void> {
    await this.page.getByTestId('evidence-input-choose').click();
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  /** The cell whose title is the item's full SHA-256. */
  hashCell(name: string): Locator {
    return this.row(name).locator('td').nth(2);
  }

  secretFinding(name: string): Locator {
    return this.row(name).getByTestId('secret-finding');
  }

  async showCustody(name: string): Promise<void> {
    await this.row(name).getByTestId('evidence-custody-toggle').click();
    await this.custody.waitFor();
  }

  async verifyAll(): Promise<void> {
    await this.page.getByTestId('evidence-verify').click();
    await this.verification.waitFor();
  }
}
