import type { Locator, Page } from '@playwright/test';
import { TabPanel } from './panel';

/** The gap analysis: one card per control. */
export class GapTab extends TabPanel {
  constructor(page: Page) {
    super(page, 'gap-panel', 'gap');
  }

  control(id: string): Locator {
    return this.page.locator(`[data-testid="gap-control"][data-control="${id}"]`);
  }

  /** Records the state of one control at the time of the incident, the gap and an owner, and waits until it is saved. */
  async assess(id: string, a: { state: string; gap: string; owner: string }): Promise<void> {
    const card = this.control(id);
    await card.getByTestId('gap-state').selectOption(a.state);
    await card.getByTestId('gap-text').fill(a.gap);
    await card.getByTestId('gap-owner').fill(a.owner);
    await card.getByTestId('gap-save').click();
    await card.getByTestId('gap-saved').waitFor();
  }
}
