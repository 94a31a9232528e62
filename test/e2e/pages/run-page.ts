import type { Locator, Page } from '@playwright/test';
import { ChainTab } from './chain-tab';
import { CloudTrailTab } from './cloudtrail-tab';
import { EvidenceTab } from './evidence-tab';
import { GapTab } from './gap-tab';
import { IdentityTab } from './identity-tab';
import { chooseContaining, type IncidentTab, Panel, TabPanel } from './panel';
import { ReportsTab } from './reports-tab';
import { SignOffTab } from './signoff-tab';
import { ValidationTab } from './validation-tab';

/** One incident's screen: the run (phases, steps, gates), its banners, and a page object per tab. */
export class RunPage extends Panel {
  /** The screen once the run is read. */
  readonly screen = this.inState('ready');
  readonly gate = this.page.getByTestId('gate');
  readonly gateMissing = this.page.getByTestId('gate-missing');
  readonly gateError = this.page.getByTestId('gate-error');
  /** What the last phase close said about the ledger checkpoint signed after it. */
  readonly checkpointNote = this.page.getByTestId('checkpoint-note');
  readonly escalations = this.page.getByTestId('escalations');
  /** The notification clocks banner (one line after its first view). */
  readonly clocksBanner = this.page.getByTestId('clocks');
  /** Its one line, which opens it again. */
  readonly clocksSummary = this.page.getByTestId('clocks-summary');
  /** "open", "closed", or "closed, monitoring until DATE". */
  readonly standing = this.page.getByTestId('incident-standing');
  /** The awareness time; `data-assumed` says whether anyone has confirmed it. */
  readonly awareness = this.page.getByTestId('awareness');
  readonly confirmAwareness = this.page.getByTestId('awareness-confirm');
  readonly clocks = this.page.getByTestId('clock');
  readonly sampleBanner = this.page.getByTestId('sample-banner');
  readonly sampleMessage = this.page.getByTestId('sample-message');
  readonly timelineEntries = this.page.getByTestId('timeline-entry');
  readonly evidence = new EvidenceTab(this.page);
  readonly cloudtrail = new CloudTrailTab(this.page);
  readonly identity = new IdentityTab(this.page);
  readonly chain = new ChainTab(this.page);
  readonly validation = new ValidationTab(this.page);
  readonly gap = new GapTab(this.page);
  readonly signoff = new SignOffTab(this.page);
  readonly reports = new ReportsTab(this.page);
  readonly activity = new TabPanel(this.page, 'activity-panel', 'activity');

  constructor(page: Page) {
    super(page, 'incident-screen');
  }

  /** Opens an incident by its address, as a bookmark or a link would. */
  async goTo(origin: string, id: string): Promise<void> {
    await this.page.goto(`${origin}/#/incidents/${id}`);
  }

  async openFromList(id: string): Promise<void> {
    await this.page.locator(`[data-incident-id="${id}"] [data-testid="incident-link"]`).click();
    await this.screen.waitFor();
  }

  /**
   * The first thing to do on a tab: the first step of the phase shown, or the first control of the tab's panel. A
   * responder must see it without scrolling, whatever banners the incident carries.
   */
  firstStepOf(name: IncidentTab): Locator {
    const panels: Record<IncidentTab, string> = {
      run: 'phase-panel',
      evidence: 'evidence-panel',
      cloudtrail: 'cloudtrail-panel',
      validation: 'validation-panel',
      gap: 'gap-panel',
      signoff: 'signoff-panel',
      reports: 'reports-panel',
      parameters: 'params-form',
      activity: 'activity-panel',
      identity: 'identity-panel',
      chain: 'chain-panel',
    };
    if (name === 'run') return this.page.getByTestId('step').first();
    return this.page.getByTestId(panels[name]).locator('button, input, select, textarea, summary, [data-testid="timeline-entry"], [data-testid="identity-empty"]').first();
  }

  async tab(name: IncidentTab): Promise<void> {
    await this.page.getByTestId(`tab-${name}`).click();
  }

  phase(id: string): Locator {
    return this.page.getByTestId(`phase-${id}`);
  }

  async selectPhase(id: string): Promise<void> {
    await this.phase(id).click();
    await this.page.locator(`[data-testid="phase-panel"][data-phase="${id}"]`).waitFor();
  }

  step(id: string): Locator {
    return this.page.locator(`[data-testid="step"][data-step-id="${id}"]`);
  }

  /** The steps of the phase shown, with this status. */
  steps(status: 'todo' | 'done' | 'na'): Locator {
    return this.page.locator(`[data-testid="step"][data-status="${status}"]`);
  }

  /** A fact-backed step's proof ("Done: completed by ...") or what it waits for; `data-met` says which. */
  proof(id: string): Locator {
    return this.step(id).getByTestId('step-proof');
  }

  doneButton(id: string): Locator {
    return this.step(id).getByTestId('step-done');
  }

  async markDone(id: string): Promise<void> {
    await this.step(id).getByTestId('step-done').click();
    await this.page.locator(`[data-testid="step"][data-step-id="${id}"][data-status="done"]`).waitFor();
  }

  async markNotApplicable(id: string, reason: string): Promise<void> {
    await this.step(id).getByTestId('step-na').click();
    await this.step(id).getByTestId('step-na-reason').fill(reason);
    await this.step(id).getByTestId('step-na-reason').press('Enter');
    await this.page.locator(`[data-testid="step"][data-step-id="${id}"][data-status="na"]`).waitFor();
  }

  async answer(stepId: string, answers: string[]): Promise<void> {
    for (const a of answers) await this.step(stepId).getByTestId(`answer-${a}`).check();
    await this.step(stepId).getByTestId('decision-save').click();
    await this.page.locator(`[data-testid="step"][data-step-id="${stepId}"][data-status="done"]`).waitFor();
  }

  async writeNote(stepId: string, text: string): Promise<void> {
    await this.step(stepId).getByTestId('step-note-edit').click();
    await this.step(stepId).getByTestId('step-note-input').fill(text);
    await this.step(stepId).locator('[data-testid="note-state"][data-state="saved"]').waitFor();
  }

  note(stepId: string): Locator {
    return this.step(stepId).getByTestId('step-note');
  }

  command(stepId: string): Locator {
    return this.step(stepId).getByTestId('command-text');
  }

  /** Attaches a new file to one of the gate's artifacts, and waits until the artifact lists it. */
  async attach(artifactId: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByTestId(`attach-${artifactId}`).setInputFiles(file);
    await this.attached(artifactId).filter({ hasText: file.name }).waitFor();
  }

  /** Links an item already in the locker (the first whose name contains this) to one of the gate's artifacts. */
  async linkCollected(artifactId: string, nameContains: string): Promise<void> {
    const artifact = this.page.locator(`[data-testid="artifact"][data-artifact-id="${artifactId}"]`);
    // The locker is read when the responder reaches for it.
    await artifact.getByTestId('artifact-attach').hover();
    await chooseContaining(artifact.getByTestId('attach-existing'), nameContains);
    await artifact.getByTestId('attach-link').click();
    await this.attached(artifactId).filter({ hasText: nameContains }).first().waitFor();
  }

  attached(artifactId: string): Locator {
    return this.page.locator(`[data-artifact-id="${artifactId}"] [data-testid="attached-item"]`);
  }

  param(name: string): Locator {
    return this.page.getByTestId(`param-${name}`);
  }

  /** What is wrong with the value typed for this parameter. */
  paramProblem(name: string): Locator {
    return this.page.getByTestId(`param-problem-${name}`);
  }

  async setParam(name: string, value: string): Promise<void> {
    await this.param(name).fill(value);
  }

  async saveParams(): Promise<void> {
    await this.page.getByTestId('params-save').click();
    await this.page.getByTestId('params-saved').waitFor();
  }

  /** Follows the gate's link to a step it still misses. */
  async followMissingStep(id: string): Promise<void> {
    await this.gateMissing.locator(`[data-testid="gate-missing-step"][data-step-id="${id}"]`).click();
  }

  /** Waits until the gate of the phase shown is in this state. */
  async gateIs(state: 'met' | 'not-met' | 'closed'): Promise<void> {
    await this.page.locator(`[data-testid="gate"][data-gate="${state}"]`).waitFor();
  }

  async phaseIs(id: string, status: 'open' | 'closed'): Promise<void> {
    await this.page.locator(`[data-testid="phase-${id}"][data-status="${status}"]`).waitFor();
  }

  async closePhase(): Promise<void> {
    await this.page.getByTestId('close-phase').click();
  }

  /** Closes the phase and waits until the gate says why it cannot. */
  async closePhaseRefused(): Promise<void> {
    await this.closePhase();
    await this.gateError.waitFor();
  }

  async overridePhase(reason: string): Promise<void> {
    await this.page.getByTestId('override-phase').click();
    await this.page.getByTestId('override-reason').fill(reason);
    await this.page.getByTestId('override-confirm').click();
    await this.page.getByTestId('override-record').waitFor();
  }

  overrideRecord(): Locator {
    return this.page.getByTestId('override-record');
  }

  clock(regime: string): Locator {
    return this.page.locator(`[data-testid="clock"][data-regime="${regime}"]`);
  }

  async recordNotification(regime: string): Promise<void> {
    await this.clock(regime).getByTestId('record-notification').click();
    await this.clock(regime).getByTestId('notification-save').click();
  }

  /** Reloads the page and waits for the run. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.screen.waitFor();
  }

  /** Sample incidents: puts the full backup back, and waits until the banner says so. */
  async restoreSampleBackup(): Promise<void> {
    await this.page.getByTestId('sample-restore').click();
    await this.sampleMessage.waitFor();
  }
}
