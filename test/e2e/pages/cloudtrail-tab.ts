import type { Locator, Page } from '@playwright/test';
import { Panel, TabPanel } from './panel';

/** Cloud logs (CloudTrail, Azure, GCP): collection, findings, blast radius, the activity chart and the timeline. */
export class CloudTrailTab extends TabPanel {
  readonly summary = this.page.getByTestId('cloudtrail-summary');
  /** What the last import or pull did. */
  readonly collected = this.page.getByTestId('cloudtrail-collected');
  readonly findings = this.page.getByTestId('finding');
  readonly findingsCard = this.page.getByTestId('cloudtrail-findings');
  /** The findings list's scroll box and the cue under it saying how many findings are out of sight. */
  readonly findingsScroll = this.page.getByTestId('findings-scroll');
  readonly findingsCue = this.page.getByTestId('findings-scroll-cue');
  readonly cadenceVerdicts = this.page.getByTestId('cadence-verdict');
  readonly paths = this.page.getByTestId('cloudtrail-paths');
  readonly chooseFolderButton = this.page.getByTestId('cloudtrail-choose-folder');
  readonly timeline = new Panel(this.page, 'cloudtrail-timeline');
  readonly events = this.page.getByTestId('event-row');
  readonly eventDetail = this.page.getByTestId('event-detail');
  /** Calls per second of each identity over time. */
  readonly activityChart = new Panel(this.page, 'activity-chart');
  readonly activitySeries = this.page.getByTestId('activity-series');
  readonly destructiveMarks = this.page.getByTestId('destructive-mark');
  readonly activityLegend = this.page.getByTestId('activity-legend');
  readonly blastRadiusCards = this.page.getByTestId('blast-radius');
  readonly unmatchedAgents = this.page.getByTestId('unmatched-agents');

  constructor(page: Page) {
    super(page, 'cloudtrail-panel', 'cloudtrail');
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

  /** Pulls an Azure subscription's or a GCP project's audit logs from the tab's form and waits for the new summary. */
  async pullCloud(o: { cloud: 'azure' | 'gcp'; scope: string; start?: string; end?: string; endpoint?: string }): Promise<void> {
    await this.page.getByTestId('cloud-pull-open').click();
    await this.page.getByTestId('cloud-pull-cloud').selectOption(o.cloud);
    await this.page.getByTestId('cloud-pull-scope').fill(o.scope);
    if (o.start) await this.page.getByTestId('cloud-pull-start').fill(o.start);
    if (o.end) await this.page.getByTestId('cloud-pull-end').fill(o.end);
    if (o.endpoint) await this.page.getByTestId('cloud-pull-endpoint').fill(o.endpoint);
    await this.page.getByTestId('cloud-pull').click();
    await this.collected.waitFor({ timeout: 120_000 });
    await this.ready();
  }

  /** Shows only high-risk calls and waits for the filtered timeline. */
  async highRiskOnly(): Promise<void> {
    await this.page.getByTestId('filter-highRiskOnly').check();
    await this.timeline.ready();
  }

  /** Shows one cloud's calls (or every cloud's) in the timeline and the chart, and waits for both. */
  async showCloud(cloud: 'aws' | 'azure' | 'gcp' | ''): Promise<void> {
    await this.page.getByTestId('filter-cloud').selectOption(cloud);
    await this.timeline.ready();
    await this.activityChart.ready();
  }

  /** The chart's line of one identity. */
  seriesOf(principal: string): Locator {
    return this.page.locator(`[data-testid="activity-series"][data-principal="${principal}"]`);
  }

  /** The timeline's rows of one source (cloud, database, agent), or all. */
  rows(source?: 'cloud' | 'database' | 'agent'): Locator {
    return source ? this.page.locator(`[data-testid="event-row"][data-source="${source}"]`) : this.events;
  }

  /** Shows one source of the timeline (or every source) and waits for the list. */
  async showSource(source: 'cloud' | 'database' | 'agent' | ''): Promise<void> {
    await this.page.getByTestId('filter-source').selectOption(source);
    await this.timeline.ready();
  }

  /** Shows only destructive entries of every source (or all again) and waits for the list. */
  async destructiveOnly(on = true): Promise<void> {
    await this.page.getByTestId('filter-destructiveOnly').setChecked(on);
    await this.timeline.ready();
  }

  /** Types into the timeline's search box and waits for the list. */
  async search(text: string): Promise<void> {
    await this.page.getByTestId('filter-text').fill(text);
    await this.timeline.ready();
  }

  /** Opens the full record of the first call listed. */
  async openFirstEvent(): Promise<void> {
    await this.events.first().click();
    await this.eventDetail.waitFor();
  }
}
