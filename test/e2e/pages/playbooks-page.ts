import type { Locator, Page } from '@playwright/test';
import { Panel } from './panel';

/** The playbook library. */
export class PlaybooksPage extends Panel {
  readonly cards = this.page.getByTestId('playbook-card');

  constructor(page: Page) {
    super(page, 'playbooks-screen');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-playbooks').click();
    await this.ready();
  }

  /** Opens one playbook from the library and waits for it. */
  async openPlaybook(id: string): Promise<PlaybookPage> {
    await this.page.locator(`[data-testid="playbook-card"][data-playbook-id="${id}"]`).click();
    const playbook = new PlaybookPage(this.page);
    await playbook.ready();
    return playbook;
  }
}

/** One playbook in full: phases, steps and commands. */
export class PlaybookPage extends Panel {
  readonly phases = this.page.getByTestId('playbook-phase');

  constructor(page: Page) {
    super(page, 'playbook-screen');
  }

  /** Opens a playbook by its address, as a bookmark or a link would. */
  async goTo(origin: string, id: string): Promise<void> {
    await this.page.goto(`${origin}/#/playbooks/${id}`);
  }

  phase(id: string): Locator {
    return this.page.locator(`[data-testid="playbook-phase"][data-phase="${id}"]`);
  }

  /** Fills the commands with the parameters of the incident at this place in the list. */
  async fillFromIncident(index: number): Promise<void> {
    await this.page.getByTestId('fill-from').selectOption({ index });
  }

  /** The first command whose text contains this. */
  command(containing: string): Locator {
    return this.page.locator('[data-testid="command"]', { hasText: containing }).first();
  }

  commandText(containing: string): Locator {
    return this.command(containing).getByTestId('command-text');
  }

  async copyCommand(containing: string): Promise<void> {
    await this.command(containing).getByTestId('copy-command').click();
  }
}
