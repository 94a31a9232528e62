import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshKeygenEd25519, sshKeygenSign } from '../helpers/ssh-keygen';
import { expect, repoRoot, test } from './fixtures';
import { IncidentsPage } from './pages/incidents-page';
import { RunPage } from './pages/run-page';

/** The CLI on the app's data directory, as the operator runs it beside the app. */
function firebreak(dataDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'firebreak.js'), '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' },
  });
  if (r.status !== 0) throw new Error(`firebreak ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

test('sign-off by request and response: the request saved from the browser, signed with ssh-keygen by the CISO, imported; the operator signs only as herself', async ({ page, app }) => {
  test.setTimeout(120_000);
  // The CISO's own machine: a key made there with ssh-keygen; only its public half reaches the operator.
  const machine = mkdtempSync(join(tmpdir(), 'firebreak-ciso-'));
  try {
    const priya = sshKeygenEd25519(machine, 'id_ed25519', 'priya@laptop');
    const enrolled = firebreak(app.dataDir, ['signers', 'add', '--name', 'Priya Shah', '--role', 'CISO', '--public-key', priya.publicPath]);
    const fingerprint = enrolled.split('  ')[2] as string;

    const list = new IncidentsPage(page);
    await list.open(app.url);
    await list.startIncident({ playbook: 'agent-destructive-action', title: 'Deploy agent dropped the orders database' });
    const run = new RunPage(page);
    const { signoff } = run;
    await signoff.open();
    const step = 'reinstatement-sign-off';
    await expect(signoff.gate(step)).toHaveAttribute('data-gate', 'not-met');

    // The operator asks the CISO: the request shows the statement the CISO will sign, and is saved to send.
    const statement = await signoff.makeRequest(step, 'CISO', 'Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    expect(statement).toMatch(/^I, signing as CISO with my enrolled key, attest that: \(1\) All affected data stores/);
    expect(statement).toContain('because: Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    const request = join(machine, 'request.txt');
    await signoff.saveRequest(step, 'CISO', request);
    expect(readFileSync(request, 'utf8')).toMatch(/^FIREBREAK SIGN-OFF REQUEST SR-\d{6}\n/);

    // Someone else's key, not enrolled: refused, saying so.
    const mallory = sshKeygenEd25519(machine, 'mallory', 'mallory');
    const forged = join(machine, 'forged.txt');
    spawnSync('cp', [request, forged]);
    sshKeygenSign(mallory.privatePath, forged, 'firebreak-signoff');
    expect(await signoff.importRefused(step, 'CISO', `${forged}.sig`)).toMatch(/that made the signature is not enrolled/);

    // The CISO signs on their machine with stock OpenSSH, and the operator imports the .sig.
    sshKeygenSign(priya.privatePath, request, 'firebreak-signoff');
    await signoff.importSignature(step, 'CISO', `${request}.sig`);
    await expect(signoff.signed(step, 'CISO')).toContainText('signed by Priya Shah');
    await expect(signoff.signed(step, 'CISO').getByTestId('signer-fingerprint')).toHaveText(`own key ${fingerprint}`);
    await expect(signoff.signed(step, 'CISO').getByTestId('signoff-override')).toContainText('DBA-2291');

    // Dana signs only as herself: with no key of hers enrolled for Legal, the app offers no way to sign as Legal.
    await expect(signoff.signer(step, 'Legal').getByTestId('signer-sign')).toBeDisabled();
    await expect(signoff.signer(step, 'Legal').getByTestId('signer-key')).toContainText('You hold no key for Legal here');
    // Her own key, made and enrolled beside the app, signs as IR lead once the panel reads it again.
    const made = firebreak(app.dataDir, ['keys', 'init', '--name', 'Dana Reyes', '--role', 'IR lead']);
    firebreak(app.dataDir, ['signers', 'add', '--name', 'Dana Reyes', '--role', 'IR lead', '--public-key', made.trim().split('  ')[1] as string]);
    await page.reload();
    await run.screen.waitFor();
    await signoff.open();
    await expect(signoff.signer(step, 'IR lead').getByTestId('signer-key')).toContainText('is enrolled for IR lead');
    await signoff.signer(step, 'IR lead').getByTestId('signer-override').fill('Restore validated by the DBA team outside Firebreak; ticket DBA-2291');
    await signoff.signAsMyself(step, 'IR lead');
    await expect(signoff.signed(step, 'IR lead')).toContainText('signed by Dana Reyes');
  } finally {
    rmSync(machine, { recursive: true, force: true });
  }
});
