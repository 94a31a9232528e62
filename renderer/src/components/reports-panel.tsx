import { useEffect, useState } from 'react';
import { progressOf } from '../../../electron/shared/contract/index';
import { REPORT_FORMATS, type ReportFormat, type ReportKind, TLP_MARKINGS, type TlpMarking, type BundleProgress, type BundleResult, type BundleVerification } from '../../../electron/shared/reports';
import { api, chooseFiles, errorText, hasNativeDialogs } from '../api/client';
import { previewUrl } from '../api/preview';

const KIND_LABELS: Record<ReportKind, string> = { incident: 'Incident report', gap: 'Gap analysis', signoff: 'Sign-off report' };
const FORMAT_LABELS: Record<ReportFormat, string> = { pdf: 'PDF', html: 'HTML', md: 'Markdown', json: 'JSON', 'oscal-ar': 'OSCAL assessment results', 'oscal-poam': 'OSCAL POA&M' };

function download(fileName: string, mediaType: string, content: string, encoding: 'utf8' | 'base64') {
  const bytes = encoding === 'base64' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(content);
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

/** What legal and the CISO read: a sandboxed preview, exports in every format, and the case bundle. */
export function ReportsPanel({ incidentId }: { incidentId: string }) {
  const [kind, setKind] = useState<ReportKind>('incident');
  const [tlp, setTlp] = useState<TlpMarking | null>(null);
  // The preview belongs to the report and marking it was rendered for.
  const [preview, setPreview] = useState<{ key: string; url: string } | null>(null);
  const previewKey = `${kind}|${tlp ?? ''}`;
  const url = preview?.key === previewKey ? preview.url : null;
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<ReportFormat | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [bundle, setBundle] = useState<BundleResult | null>(null);
  const [progress, setProgress] = useState<BundleProgress | null>(null);
  const [verification, setVerification] = useState<BundleVerification | null>(null);

  useEffect(() => {
    api('reports.marking', { id: incidentId }).then((m) => setTlp(m.tlp), (e) => setError(errorText(e)));
  }, [incidentId]);
  useEffect(() => {
    if (!tlp) return;
    const key = `${kind}|${tlp}`;
    previewUrl({ id: incidentId, kind, tlp }).then(
      (u) => setPreview({ key, url: u }),
      (e) => setError(errorText(e)),
    );
  }, [incidentId, kind, tlp]);

  const exportAs = async (format: ReportFormat) => {
    setExporting(format);
    setError(null);
    try {
      const r = await api('reports.export', { id: incidentId, kind: format.startsWith('oscal') ? 'gap' : kind, format, ...(tlp ? { tlp } : {}) });
      download(r.fileName, r.mediaType, r.content, r.encoding);
      setExported(`${r.fileName}: content sha256 ${r.contentSha256}${r.evidenceId ? `, kept as evidence ${r.evidenceId}` : ''}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setExporting(null);
    }
  };

  /** Desktop app: a bundle someone sent, chosen in the OS dialog, checked offline like `firebreak verify`. */
  const verifyOther = () => {
    setError(null);
    setVerification(null);
    chooseFiles('bundle')
      .then((chosen) => (chosen?.[0] ? api('reports.verifyBundle', { path: chosen[0] }).then(setVerification) : undefined))
      .catch((e) => setError(errorText(e)));
  };
  const makeBundle = async (manifestOnly: boolean) => {
    setError(null);
    setBundle(null);
    setVerification(null);
    const operationId = `bundle-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const poll = setInterval(() => {
      api('operations.list', { incidentId }).then((ops) => setProgress(progressOf(ops, operationId, 'reports.bundle')), () => undefined);
    }, 500);
    try {
      setBundle(await api('reports.bundle', { id: incidentId, manifestOnly, operationId }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      clearInterval(poll);
      setProgress(null);
    }
  };

  return (
    <section className="card" data-testid="reports-panel">
      <div className="page-head">
        <h2>Reports</h2>
        <select value={kind} onChange={(e) => setKind(e.target.value as ReportKind)} aria-label="Report" data-testid="report-kind">
          {(Object.keys(KIND_LABELS) as ReportKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <select
          value={tlp ?? ''}
          onChange={(e) => {
            const next = e.target.value as TlpMarking;
            setTlp(next);
            void api('reports.setMarking', { id: incidentId, tlp: next });
          }}
          aria-label="TLP marking"
          data-testid="report-tlp"
        >
          {TLP_MARKINGS.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
      <div className="actions left">
        {REPORT_FORMATS.filter((f) => !f.startsWith('oscal') || kind === 'gap').map((f) => (
          <button key={f} type="button" disabled={exporting !== null} onClick={() => void exportAs(f)} data-testid={`export-${f}`}>
            {exporting === f ? `Exporting ${FORMAT_LABELS[f]}…` : FORMAT_LABELS[f]}
          </button>
        ))}
      </div>
      {exported && <p className="small mono" data-testid="export-result">{exported}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {url ? (
        // sandbox with no allowances: no scripts, no same-origin access, no navigation; the page's own CSP says the same.
        <iframe title={`${KIND_LABELS[kind]} preview`} src={url} sandbox="" className="preview" data-testid="report-preview" />
      ) : (
        <p aria-busy="true">Rendering the preview…</p>
      )}
      <h3>Case bundle</h3>
      <p className="hint">A zip a reviewer can check offline with sha256sum and openssl alone: reports, evidence, the ledger, SHA256SUMS, signatures and VERIFY.txt.</p>
      <div className="actions left">
        <button type="button" className="primary" onClick={() => void makeBundle(false)} data-testid="bundle-full" disabled={progress !== null}>
          Build the bundle with evidence
        </button>
        <button type="button" onClick={() => void makeBundle(true)} disabled={progress !== null}>
          Bundle with the evidence manifest only
        </button>
        {hasNativeDialogs() && (
          <button type="button" onClick={verifyOther} data-testid="bundle-verify-file">
            Verify a bundle file…
          </button>
        )}
      </div>
      {progress && (
        <p>
          <progress max={progress.total || 1} value={progress.done} /> {progress.stage} {progress.done}/{progress.total}
        </p>
      )}
      {bundle && (
        <div className="bundle" data-testid="bundle-result">
          <p>
            Written to <span className="mono">{bundle.path}</span> ({bundle.files} files, {(bundle.bytes / 1024).toFixed(0)} KiB), sha256{' '}
            <span className="mono">{bundle.sha256}</span>
          </p>
          {bundle.problems.map((p) => (
            <p key={p} className="error-text">{p}</p>
          ))}
          <button type="button" onClick={() => void api('reports.verifyBundle', { path: bundle.path }).then(setVerification, (e) => setError(errorText(e)))} data-testid="bundle-verify">
            Verify the bundle
          </button>
        </div>
      )}
      {verification && (
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
                {s.id} {s.name} ({s.role}): SHA256:{s.fingerprint} {s.verified ? '(signature holds)' : '(signature FAILS)'}
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
