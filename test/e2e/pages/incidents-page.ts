import type { Locator, Page } from '@playwright/test';

/** Owns the selectors of the first-run prompt and the incidents screen. */
export class IncidentsPage {
  readonly operatorScreen: Locator;
  readonly screen: Locator;
  readonly empty: Locator;
  readonly rows: Locator;
  readonly operatorBadge: Locator;

  constructor(readonly page: Page) {
    this.operatorScreen = page.getByTestId('operator-screen');
    this.screen = page.locator('[data-testid="incidents-screen"][data-state="ready"]');
    this.empty = page.getByTestId('incidents-empty');
    this.rows = page.getByTestId('incident-row');
    this.operatorBadge = page.getByTestId('operator-badge');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('[data-state="ready"]').first().waitFor();
  }

  async sayWhoIsWorking(name: string, role: string): Promise<void> {
    await this.page.getByTestId('operator-name').fill(name);
    await this.page.getByTestId('operator-role').selectOption(role);
    await this.page.getByTestId('operator-submit').click();
    await this.screen.waitFor();
  }

  /** Opens an incident from the list; the app then shows the new incident, whose id is returned. */
  async openIncident(o: { playbook?: string; title?: string }): Promise<string> {
    await this.page.getByTestId('new-incident').click();
    if (o.playbook) await this.page.getByTestId('incident-playbook').selectOption(o.playbook);
    if (o.title) await this.page.getByTestId('incident-title').fill(o.title);
    await this.page.getByTestId('incident-create').click();
    const screen = this.page.locator('[data-testid="incident-screen"][data-state="ready"]');
    await screen.waitFor();
    return (await screen.getAttribute('data-incident-id')) ?? '';
  }

  /** The usual start: the IR lead says who is working and opens an incident, whose run screen then shows. */
  async startIncident(o: { playbook?: string; title?: string }): Promise<string> {
    await this.sayWhoIsWorking('Dana Reyes', 'IR lead');
    return this.openIncident(o);
  }

  async backToList(): Promise<void> {
    await this.page.getByTestId('nav-incidents').click();
    await this.screen.waitFor();
  }

  row(title: string): Locator {
    return this.rows.filter({ hasText: title });
  }
}
