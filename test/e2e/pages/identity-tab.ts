import type { Locator, Page } from '@playwright/test';
import { TabPanel } from './panel';

/** The Agent identity tab: the IAM snapshot's evidence, could versus did per identity, revocations. */
export class IdentityTab extends TabPanel {
  readonly empty = this.root.getByTestId('identity-empty');
  readonly sources = this.root.getByTestId('identity-sources').locator('tr');
  readonly note = this.root.getByTestId('identity-note');

  constructor(page: Page) {
    super(page, 'identity-panel', 'identity');
  }

  identity(arn: string): Locator {
    return this.root.locator(`[data-testid="could-vs-did"][data-identity="${arn}"]`);
  }
}
