import type { Locator, Page } from '@playwright/test';
import { Panel, TabPanel } from './panel';

/** CloudTrail: collection, findings, blast radius and the timeline. */
export class CloudTrailTab extends TabPanel {
  readonly summary: Locator;
  /** What the last import or pull did. */
  readonly collected: Locator;
  readonly findings: Locator;
  readonly findingsCard: Locator;
  readonly cadenceVerdicts: Locator;
  readonly paths: Locator;
  readonly chooseFolderButton: Locator;
  readonly timeline: Panel;
  readonly events: Locator;
  readonly eventDetail: Locator;

  constructor(page: Page) {
    super(page, 'cloudtrail-panel', 'cloudtrail');
    this.summary = page.getByTestId('cloudtrail-summary');
    this.collected = page.getByTestId('cloudtrail-collected');
    this.findings = page.getByTestId('finding');
    this.findingsCard = page.getByTestId('cloudtrail-findings');
    this.cadenceVerdicts = page.getByTestId('cadence-verdict');
    this.paths = page.getByTestId('cloudtrail-paths');
    this.chooseFolderButton = page.getByTestId('cloudtrail-choose-folder');
    this.timeline = new Panel(page, 'cloudtrail-timeline');
    this.events = page.getByTestId('event-row');
    this.eventDetail = page.getByTestId('event-detail');
  }

  /** Opens the tab and waits for the summary and the timeline's first page. */
  override async open(timeout?: number): Promise<void> {
    await super.open(timeout);
    await this.timeline.ready(timeout);
  }

  findingsOf(kind: string): Locator {
    return this.page.locator(`[data-testid="finding"][data-kind="${kind}"]`);
  }

  async chooseFolder(): Promise<void> {
    await this.chooseFolderButton.click();
  }

  /** Imports what the paths field lists (or these paths) and waits for the new summary. */
  async importExports(paths?: string[]): Promise<void> {
    if (paths) await this.paths.fill(paths.join('\n'));
    await this.page.getByTestId('cloudtrail-import').click();
    await this.collected.waitFor({ timeout: 120_000 });
    await this.ready();
  }

  /** Shows only high-risk calls and waits for the filtered timeline. */
  async highRiskOnly(): Promise<void> {
    await this.page.getByTestId('filter-highRiskOnly').check();
    await this.timeline.ready();
  }

  /** Opens the full record of the first call listed. */
  async openFirstEvent(): Promise<void> {
    await this.events.first().click();
    await this.eventDetail.waitFor();
  }
}
