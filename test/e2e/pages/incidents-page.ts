import type { Locator, Page } from '@playwright/test';
import { OperatorPage } from './operator-page';
import { Panel } from './panel';

/** The incidents screen: the list, its search, opening an incident or the sample. */
export class IncidentsPage extends Panel {
  readonly operator = new OperatorPage(this.page);
  /** The screen once its list is read. */
  readonly screen = this.inState('ready');
  readonly empty = this.page.getByTestId('incidents-empty');
  readonly rows = this.page.getByTestId('incident-row');
  readonly operatorBadge = this.page.getByTestId('operator-badge');
  readonly newIncidentError = this.page.getByTestId('new-incident-error');
  readonly titleField = this.page.getByTestId('incident-title');
  /** Shown when the page was opened without its session token. */
  readonly missingToken = this.page.getByTestId('missing-token');

  constructor(page: Page) {
    super(page, 'incidents-screen');
  }

  /** Opens the app at this URL and waits for its first screen. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.firstScreen();
  }

  /** Waits until the app shows its first screen, whichever it is (who is working, or the incidents). */
  async firstScreen(): Promise<void> {
    await this.page.locator('[data-state="ready"]').first().waitFor();
  }

  async sayWhoIsWorking(name: string, role: string): Promise<void> {
    await this.operator.sayWhoIsWorking(name, role);
    await this.screen.waitFor();
  }

  /** Shows the new-incident form. */
  async startNewIncident(): Promise<void> {
    await this.page.getByTestId('new-incident').click();
  }

  /** The form's awareness time (your local time) and whether it is confirmed. */
  readonly awareAt = this.page.getByTestId('incident-aware-at');
  readonly awareConfirmed = this.page.getByTestId('incident-aware-confirmed');

  async fillNewIncident(o: { playbook?: string; title?: string }): Promise<void> {
    if (o.playbook) await this.page.getByTestId('incident-playbook').selectOption(o.playbook);
    if (o.title !== undefined) await this.titleField.fill(o.title);
  }

  /** Submits the form, without waiting for the incident. */
  async create(): Promise<void> {
    await this.page.getByTestId('incident-create').click();
  }

  /** Lets the title field take more than the form allows, to see the Api refuse it. */
  async liftTitleLimit(): Promise<void> {
    await this.titleField.evaluate((el: HTMLInputElement) => el.removeAttribute('maxlength'));
  }

  /** Opens an incident from the list; the app then shows the new incident, whose id is returned. */
  async openIncident(o: { playbook?: string; title?: string }): Promise<string> {
    await this.startNewIncident();
    await this.fillNewIncident(o);
    await this.create();
    return this.incidentShown();
  }

  /** The usual start: the IR lead says who is working and opens an incident, whose run screen then shows. */
  async startIncident(o: { playbook?: string; title?: string }): Promise<string> {
    await this.sayWhoIsWorking('Dana Reyes', 'IR lead');
    return this.openIncident(o);
  }

  /** Builds the SAMPLE incident from the empty screen and waits for its run screen; returns its id. */
  async openSample(): Promise<string> {
    await this.page.getByTestId('open-sample').click();
    return this.incidentShown(60_000);
  }

  /** Opens the app as the IR lead Dana Reyes and opens the sample incident, as most walks through it begin. */
  async openSampleAsLead(url: string): Promise<string> {
    await this.open(url);
    await this.sayWhoIsWorking('Dana Reyes', 'IR lead');
    return this.openSample();
  }

  async backToList(): Promise<void> {
    await this.page.getByTestId('nav-incidents').click();
    await this.screen.waitFor();
  }

  /** Goes back to the list without waiting for it to be read (to see how it fails). */
  async backToListUnread(): Promise<void> {
    await this.page.getByTestId('nav-incidents').click();
    await this.root.waitFor();
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId('incident-search').fill(text);
  }

  /** Leaves the search field (so a screenshot shows no caret). */
  async leaveSearch(): Promise<void> {
    await this.page.getByTestId('incident-search').blur();
  }

  row(title: string): Locator {
    return this.rows.filter({ hasText: title });
  }

  private async incidentShown(timeout?: number): Promise<string> {
    const screen = this.page.locator('[data-testid="incident-screen"][data-state="ready"]');
    await screen.waitFor(timeout === undefined ? {} : { timeout });
    return (await screen.getAttribute('data-incident-id')) ?? '';
  }
}
