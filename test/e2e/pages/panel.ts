import type { Locator, Page } from '@playwright/test';

export type PanelState = 'loading' | 'ready' | 'busy' | 'error';
export type IncidentTab = 'run' | 'evidence' | 'cloudtrail' | 'identity' | 'chain' | 'validation' | 'gap' | 'signoff' | 'reports' | 'parameters' | 'activity';

/** Chooses the first option whose text contains this (an evidence item by its name, say). */
export async function chooseContaining(select: Locator, text: string): Promise<void> {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  if (value === null) throw new Error(`no option of ${select.toString()} contains "${text}"`);
  await select.selectOption(value);
}

/** A screen or panel with a data-state: its root, and waits on that state (never on time). */
export class Panel {
  readonly root: Locator;
  /** The panel's own error line (role=alert), where it says what failed. */
  readonly error: Locator;

  constructor(
    readonly page: Page,
    readonly testId: string,
  ) {
    this.root = page.getByTestId(testId);
    this.error = this.root.getByRole('alert').first();
  }

  /** The root while it shows this state. */
  inState(state: PanelState): Locator {
    return this.page.locator(`[data-testid="${this.testId}"][data-state="${state}"]`);
  }

  async ready(timeout?: number): Promise<void> {
    await this.inState('ready').waitFor(timeout === undefined ? {} : { timeout });
  }

  /** Scrolls the panel (or one part of it) into the window, for a person or a screenshot to see. */
  async bringIntoView(part: Locator = this.root, block: 'center' | 'start' = 'center'): Promise<void> {
    await part.evaluate((el, b) => el.scrollIntoView({ block: b }), block);
  }
}

/** A panel behind one of the incident screen's tabs. */
export class TabPanel extends Panel {
  constructor(
    page: Page,
    testId: string,
    readonly tab: IncidentTab,
  ) {
    super(page, testId);
  }

  /** Opens the tab and waits until the panel has read its data. */
  async open(timeout?: number): Promise<void> {
    await this.page.getByTestId(`tab-${this.tab}`).click();
    await this.ready(timeout);
  }

  /** Opens the tab without waiting for its data (to see how it fails). */
  async openTab(): Promise<void> {
    await this.page.getByTestId(`tab-${this.tab}`).click();
    await this.root.waitFor();
  }
}
