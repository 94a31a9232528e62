import type { Locator, Page } from '@playwright/test';
import { chooseContaining, TabPanel } from './panel';

/** Who signs the sample's sign-off, by role. */
export const SAMPLE_SIGNERS = [
  ['IR lead', 'Dana Reyes'],
  ['CISO', 'Morgan Lee'],
  ['Legal', 'Priya Nair'],
] as const;

/** The sign-off: attestations backed by evidence, the gate, and a signature per role. */
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

  /** Backs an attestation with the first evidence item whose name contains this, and waits until it shows. */
  async linkEvidence(stepId: string, attestationId: string, nameContains: string): Promise<void> {
    const a = this.step(stepId).locator(`[data-testid="attestation"][data-attestation-id="${attestationId}"]`);
    await chooseContaining(a.getByTestId('attestation-evidence'), nameContains);
    await a.getByTestId('attestation-link').click();
    await a.getByTestId('attestation-item').filter({ hasText: nameContains }).first().waitFor();
  }

  /** Each signer signs in turn. */
  async signAll(stepId: string, signers: ReadonlyArray<readonly [role: string, name: string]>): Promise<void> {
    for (const [role, name] of signers) await this.sign(stepId, role, name);
  }

  /** Signs as this role, and waits until the signature shows. */
  async sign(stepId: string, role: string, name: string): Promise<void> {
    const signer = this.signer(stepId, role);
    await signer.getByTestId('signer-name').fill(name);
    await signer.getByTestId('signer-sign').click();
    await this.step(stepId).locator(`[data-testid="signer"][data-role="${role}"][data-signed="true"]`).waitFor();
  }
}
