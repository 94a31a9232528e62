import type { Locator, Page } from '@playwright/test';

/** Owns the selectors of one incident's run screen. */
export class RunPage {
  readonly screen: Locator;
  readonly gate: Locator;
  readonly gateMissing: Locator;
  readonly gateError: Locator;
  readonly escalations: Locator;
  readonly clocks: Locator;
  readonly timelineEntries: Locator;

  constructor(readonly page: Page) {
    this.screen = page.locator('[data-testid="incident-screen"][data-state="ready"]');
    this.gate = page.getByTestId('gate');
    this.gateMissing = page.getByTestId('gate-missing');
    this.gateError = page.getByTestId('gate-error');
    this.escalations = page.getByTestId('escalations');
    this.clocks = page.getByTestId('clock');
    this.timelineEntries = page.getByTestId('timeline-entry');
  }

  async openFromList(id: string): Promise<void> {
    await this.page.locator(`[data-incident-id="${id}"] [data-testid="incident-link"]`).click();
    await this.screen.waitFor();
  }

  async tab(name: 'run' | 'evidence' | 'cloudtrail' | 'validation' | 'gap' | 'signoff' | 'reports' | 'parameters' | 'activity'): Promise<void> {
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

  async setParam(name: string, value: string): Promise<void> {
    await this.page.getByTestId(`param-${name}`).fill(value);
  }

  async saveParams(): Promise<void> {
    await this.page.getByTestId('params-save').click();
    await this.page.getByTestId('params-saved').waitFor();
  }

  async closePhase(): Promise<void> {
    await this.page.getByTestId('close-phase').click();
  }

  async overridePhase(reason: string): Promise<void> {
    await this.page.getByTestId('override-phase').click();
    await this.page.getByTestId('override-reason').fill(reason);
    await this.page.getByTestId('override-confirm').click();
    await this.page.getByTestId('override-record').waitFor();
  }
}
