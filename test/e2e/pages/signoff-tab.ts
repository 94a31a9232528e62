import type { Locator, Page } from '@playwright/test';
import { chooseContaining, TabPanel } from './panel';

/** The sign-off: attestations backed by evidence, the gate, and a signature per role made by its signer. */
export class SignOffTab extends TabPanel {
  constructor(page: Page) {
    super(page, 'signoff-panel', 'signoff');
  }

  step(id: string): Locator {
    return this.page.locator(`[data-testid="signoff-step"][data-step-id="${id}"]`);
  }

  gate(stepId: string): Locator {
    return this.step(stepId).getByTestId('signoff-gate');
  }

  signer(stepId: string, role: string): Locator {
    return this.step(stepId).locator(`[data-testid="signer"][data-role="${role}"]`);
  }

  /** The signer's slot once signed. */
  signed(stepId: string, role: string): Locator {
    return this.step(stepId).locator(`[data-testid="signer"][data-role="${role}"][data-signed="true"]`);
  }

  /** Backs an attestation with the first evidence item whose name contains this, and waits until it shows. */
  async linkEvidence(stepId: string, attestationId: string, nameContains: string): Promise<void> {
    const a = this.step(stepId).locator(`[data-testid="attestation"][data-attestation-id="${attestationId}"]`);
    await chooseContaining(a.getByTestId('attestation-evidence'), nameContains);
    await a.getByTestId('attestation-link').click();
    await a.getByTestId('attestation-item').filter({ hasText: nameContains }).first().waitFor();
  }

  /** Makes the request for a role (with an override while the gate is not met) and returns the statement it shows. */
  async makeRequest(stepId: string, role: string, override?: string): Promise<string> {
    const signer = this.signer(stepId, role);
    if (override) await signer.getByTestId('signer-override').fill(override);
    await signer.getByTestId('request-make').click();
    const made = signer.getByTestId('request-made');
    await made.waitFor();
    return (await made.getByTestId('request-statement').textContent()) ?? '';
  }

  /** Saves the request just made to this path, as the operator does to send it to the signer. */
  async saveRequest(stepId: string, role: string, path: string): Promise<void> {
    const download = this.page.waitForEvent('download');
    await this.signer(stepId, role).getByTestId('request-download').click();
    await (await download).saveAs(path);
  }

  /** Imports the signature file the signer sent back, and waits until the role shows as signed. */
  async importSignature(stepId: string, role: string, path: string): Promise<void> {
    const signer = this.signer(stepId, role);
    await signer.getByTestId('signature-file').setInputFiles(path);
    await signer.getByTestId('signature-import').click();
    await this.signed(stepId, role).waitFor();
  }

  /** Tries to import a signature that is refused, and returns what the panel says. */
  async importRefused(stepId: string, role: string, path: string): Promise<string> {
    const signer = this.signer(stepId, role);
    await signer.getByTestId('signature-file').setInputFiles(path);
    await signer.getByTestId('signature-import').click();
    return (await signer.getByTestId('signer-error').textContent()) ?? '';
  }

  /** The operator signs as themselves, with their own enrolled key; waits until the signature shows. */
  async signAsMyself(stepId: string, role: string): Promise<void> {
    await this.signer(stepId, role).getByTestId('signer-sign').click();
    await this.signed(stepId, role).waitFor();
  }

  /** A sample incident: its fictional signers sign every open role; waits until the step is complete. */
  async signSample(stepId: string): Promise<void> {
    await this.step(stepId).getByTestId('sample-sign').click();
    await this.page.locator(`[data-testid="signoff-step"][data-step-id="${stepId}"][data-complete="true"]`).waitFor();
  }
}
