import { useEffect, useState } from 'react';
import { REPORT_FORMATS, type ReportFormat, type ReportKind, TLP_MARKINGS, type TlpMarking } from '../../../electron/shared/reports';
import { APP_HELD_KEY_LABEL } from '../../../electron/shared/signoff';
import { chooseFiles, errorText, hasNativeDialogs } from '../api/client';
import { useReports } from '../stores/reports-store';

const KIND_LABELS: Record<ReportKind, string> = { incident: 'Incident report', gap: 'Gap analysis', signoff: 'Sign-off report' };
const FORMAT_LABELS: Record<ReportFormat, string> = { pdf: 'PDF', html: 'HTML', md: 'Markdown', json: 'JSON', 'oscal-ar': 'OSCAL assessment results', 'oscal-poam': 'OSCAL POA&M' };

/** What legal and the CISO read: a sandboxed preview, exports in every format, and the case bundle. */
export function ReportsPanel({ incidentId }: { incidentId: string }) {
  const mine = useReports((s) => s.incidentId === incidentId);
  const status = useReports((s) => (mine ? s.status : 'loading'));
  const error = useReports((s) => s.error);
  const kind = useReports((s) => s.kind);
  const tlp = useReports((s) => (mine ? s.tlp : null));
  const url = useReports((s) => (mine && s.preview?.kind === s.kind && s.preview.tlp === s.tlp ? s.preview.url : null));
  const exported = useReports((s) => s.exported);
  const bundling = useReports((s) => s.bundling);
  const bundle = useReports((s) => s.bundle);
  const verification = useReports((s) => s.verification);
  const load = useReports((s) => s.load);
  const setKind = useReports((s) => s.setKind);
  const setMarking = useReports((s) => s.setMarking);
  const exportAs = useReports((s) => s.exportAs);
  const makeBundle = useReports((s) => s.makeBundle);
  const cancelBundle = useReports((s) => s.cancelBundle);
  const verifyBundle = useReports((s) => s.verifyBundle);
  const [pickError, setPickError] = useState<string | null>(null);
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, load]);

  /** Desktop app: a bundle someone sent, chosen in the OS dialog, checked offline like `firebreak verify`. */
  const verifyOther = () => {
    setPickError(null);
    chooseFiles('bundle').then((chosen) => chosen?.[0] && void verifyBundle(chosen[0]), (e) => setPickError(errorText(e)));
  };
  const exporting = status === 'busy';

  return (
    <section className="card" data-testid="reports-panel" data-state={status}>
      <div className="page-head">
        <h2>Reports</h2>
        <select value={kind} onChange={(e) => setKind(e.target.value as ReportKind)} aria-label="Report" data-testid="report-kind">
          {(Object.keys(KIND_LABELS) as ReportKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <select value={tlp ?? ''} onChange={(e) => void setMarking(e.target.value as TlpMarking)} aria-label="TLP marking" data-testid="report-tlp">
          {TLP_MARKINGS.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
      <div className="actions left">
        {REPORT_FORMATS.filter((f) => !f.startsWith('oscal') || kind === 'gap').map((f) => (
          <button key={f} type="button" disabled={exporting} onClick={() => void exportAs(f)} data-testid={`export-${f}`}>
            {FORMAT_LABELS[f]}
          </button>
        ))}
      </div>
      {mine && exported && <p className="small mono" data-testid="export-result">{exported}</p>}
      {(error ?? pickError) && <p className="error" role="alert" data-testid="reports-error">{error ?? pickError}</p>}
      {url ? (
        // sandbox with no allowances: no scripts, no same-origin access, no navigation; the page's own CSP says the same.
        <iframe title={`${KIND_LABELS[kind]} preview`} src={url} sandbox="" className="preview" data-testid="report-preview" />
      ) : (
        <p aria-busy={status !== 'error'}>{status === 'error' ? 'No preview.' : 'Rendering the preview…'}</p>
      )}
      <h3>Case bundle</h3>
      <p className="hint">A zip a reviewer can check offline with sha256sum, openssl and ssh-keygen alone: reports, evidence, the ledger, SHA256SUMS, the signers' requests and signatures with allowed_signers, and VERIFY.txt.</p>
      <div className="actions left">
        <button type="button" className="primary" onClick={() => void makeBundle(false)} data-testid="bundle-full" disabled={bundling !== null}>
          Build the bundle with evidence
        </button>
        <button type="button" onClick={() => void makeBundle(true)} disabled={bundling !== null} data-testid="bundle-manifest-only">
          Bundle with the evidence manifest only
        </button>
        {hasNativeDialogs() && (
          <button type="button" onClick={verifyOther} data-testid="bundle-verify-file">
            Verify a bundle file…
          </button>
        )}
      </div>
      {mine && bundling && (
        <p data-testid="bundle-progress">
          {bundling.progress ? (
            <>
              <progress max={bundling.progress.total || 1} value={bundling.progress.done} /> {bundling.progress.stage} {bundling.progress.done}/{bundling.progress.total}
            </>
          ) : (
            'Starting…'
          )}{' '}
          <button type="button" onClick={() => void cancelBundle()} data-testid="bundle-cancel">
            Cancel
          </button>
        </p>
      )}
      {mine && bundle && (
        <div className="bundle" data-testid="bundle-result">
          <p>
            Written to <span className="mono">{bundle.path}</span> ({bundle.files} files, {(bundle.bytes / 1024).toFixed(0)} KiB), sha256{' '}
            <span className="mono">{bundle.sha256}</span>
          </p>
          {bundle.problems.map((p) => (
            <p key={p} className="error-text">{p}</p>
          ))}
          <button type="button" onClick={() => void verifyBundle(bundle.path)} data-testid="bundle-verify">
            Verify the bundle
          </button>
        </div>
      )}
      {mine && verification && (
        <div data-testid="bundle-verification" data-ok={verification.ok}>
          <p className={verification.ok ? 'ok' : 'error-text'}>{verification.ok ? 'The bundle verifies: every hash, the ledger chain, the report hashes and every signature.' : 'The bundle does NOT verify.'}</p>
          <p className="small">Compare these fingerprints with the ones the people concerned give you directly (by phone, in person): they are what makes the bundle trustworthy.</p>
          <ul className="small mono" data-testid="bundle-fingerprints">
            {verification.exporter && (
              <li>
                exporter {verification.exporter.name} ({verification.exporter.role}): SHA256:{verification.exporter.fingerprint} {verification.exporter.verified ? '(signature holds)' : '(signature FAILS)'}
              </li>
            )}
            {verification.signers.map((s) => (
              <li key={s.id}>
                {s.id} {s.name} ({s.role}): {s.custody === 'signer' ? `${s.fingerprint}, their own enrolled key` : `SHA256:${s.fingerprint}, ${APP_HELD_KEY_LABEL}`}{' '}
                {s.verified ? '(signature holds)' : '(signature FAILS)'}
              </li>
            ))}
          </ul>
          <ul className="small">
            {verification.checks.map((c) => (
              <li key={c.name}>
                {c.ok ? '✓' : '✗'} {c.name}: {c.detail}
              </li>
            ))}
            {verification.problems.map((p) => (
              <li key={p} className="error-text">{p}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
