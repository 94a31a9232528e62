import type { Page } from '@playwright/test';
import { Panel } from './panel';

/** The first-run prompt: who is working. */
export class OperatorPage extends Panel {
  constructor(page: Page) {
    super(page, 'operator-screen');
  }

  async sayWhoIsWorking(name: string, role: string): Promise<void> {
    await this.page.getByTestId('operator-name').fill(name);
    await this.page.getByTestId('operator-role').selectOption(role);
    await this.page.getByTestId('operator-submit').click();
  }
}
