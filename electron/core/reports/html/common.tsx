import type { ReactNode } from 'react';
import type { ReportHeader, ReportOverride } from '../../../shared/reports';
import type { SignOffRecord } from '../../../shared/signoff';
import { HASH_EXPLANATION, SAMPLE_TEXT, TLP_COLOUR, TLP_MEANING, fingerprintLabel, keyCustody, utc, who } from '../format';
import { REPORT_CSS } from './styles';

/** No script, no fetch: the preview frame and any browser show the report and nothing else. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function ReportDocument({ header, hash, children }: { header: ReportHeader; hash: string; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta httpEquiv="Content-Security-Policy" content={CSP} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="firebreak-content-sha256" content={hash} />
        <title>{`${header.incident.id} ${header.title}`}</title>
        <style dangerouslySetInnerHTML={{ __html: REPORT_CSS }} />
      </head>
      <body>
        {header.sample ? <div className="watermark">SAMPLE</div> : null}
        <Banner header={header} />
        <h1>{header.title}</h1>
        <HeaderTable header={header} hash={hash} />
        {children}
        <div className="foot">
          <div>
            {header.incident.id} · {header.tlp}
            {header.sample ? ' · SAMPLE' : ''} · Content SHA-256 <span className="hash">{hash}</span>
          </div>
          <div>{HASH_EXPLANATION}</div>
        </div>
      </body>
    </html>
  );
}

export function Banner({ header }: { header: ReportHeader }) {
  return (
    <>
      <div className="banner">
        <span className="tlp" style={{ color: TLP_COLOUR[header.tlp] }}>
          {header.tlp}
        </span>
        <span className="id">{header.incident.id}</span>
      </div>
      <div className="tlp-note">{TLP_MEANING[header.tlp]}</div>
      {header.sample ? <div className="sample">{SAMPLE_TEXT}</div> : null}
    </>
  );
}

function HeaderTable({ header, hash }: { header: ReportHeader; hash: string }) {
  const rows: Array<[string, ReactNode]> = [
    ['Incident', `${header.incident.id}: ${header.incident.title}`],
    ['Severity / status', `${header.incident.severity} / ${header.incident.status}`],
    ['Playbook', `${header.incident.playbook.title} v${header.incident.playbook.version}`],
    ['Opened', `${utc(header.incident.openedAt)} by ${who(header.incident.openedBy)}`],
    ['Generated', `${utc(header.generatedAt)} by ${who(header.generatedBy)}`],
    [
      'Ledger at generation',
      <>
        entry {header.record.ledgerEntries}, head <span className="hash">{header.record.ledgerHeadHash ?? '(empty)'}</span>
      </>,
    ],
    ['Content SHA-256', <span className="hash">{hash}</span>],
  ];
  return (
    <table className="meta">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Overrides({ overrides }: { overrides: ReportOverride[] }) {
  if (overrides.length === 0) return <p>No gate was overridden.</p>;
  return (
    <>
      {overrides.map((o, i) => (
        <div className="callout" key={i}>
          <p>
            <span className="label">OVERRIDE</span>
            <strong>{o.subject}</strong> overridden by {who(o.by)} at {utc(o.at)}.
          </p>
          <p>
            <strong>Justification:</strong> {o.justification}
          </p>
          {o.waived.length ? (
            <>
              <p>
                <strong>Waived:</strong>
              </p>
              <ul>
                {o.waived.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ))}
    </>
  );
}

export function SignatureCard({ s, verified }: { s: SignOffRecord; verified?: boolean | undefined }) {
  const custody = keyCustody(s);
  return (
    <div className="sig">
      <div className="who">
        {s.name}, {s.role}
        {s.override ? <span className="bad"> · SIGNED WITH OVERRIDE</span> : null}
        {verified === undefined ? null : verified ? <span className="ok"> · signature verified</span> : <span className="bad"> · SIGNATURE DOES NOT VERIFY</span>}
      </div>
      <div>
        {s.id} · {s.stepTitle} · signed {utc(s.signedAt)}
      </div>
      {custody ? <div className={s.scheme === 'sshsig' ? 'small' : 'small bad'}>{custody}</div> : null}
      <p>{s.statement.statement}</p>
      {s.override ? (
        <div className="callout">
          <span className="label">OVERRIDE</span> {s.override.justification}
          <ul>
            {s.override.waived.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <table>
        <tbody>
          <tr>
            <th>Signed report SHA-256</th>
            <td className="hash">{s.reportSha256}</td>
          </tr>
          <tr>
            <th>{s.request ? `Request ${s.request.id} SHA-256` : 'Statement SHA-256'}</th>
            <td className="hash">{s.statementSha256}</td>
          </tr>
          {s.request ? (
            <tr>
              <th>Ledger pinned</th>
              <td className="hash">
                entry {s.request.ledgerSeq}, {s.request.ledgerHead ?? 'empty'}
              </td>
            </tr>
          ) : null}
          <tr>
            <th>{fingerprintLabel(s)}</th>
            <td className="hash">{s.fingerprint}</td>
          </tr>
          {s.request ? (
            <tr>
              <th>Request and signature kept as</th>
              <td>
                {s.request.evidenceId ?? '—'}, {s.request.signatureEvidenceId ?? '—'}
              </td>
            </tr>
          ) : (
            <tr>
              <th>Signature (base64)</th>
              <td className="hash">{s.signature}</td>
            </tr>
          )}
          <tr>
            <th>Signed report kept as</th>
            <td>{s.reportEvidenceId ?? '—'}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function EvidenceRefs({ items }: { items: Array<{ id: string; name: string; sha256: string; status?: string }> }) {
  if (items.length === 0) return <span className="bad">no evidence linked</span>;
  return (
    <ul className="small">
      {items.map((e) => (
        <li key={e.id}>
          {e.id} {e.name} <span className="hash">sha256 {e.sha256}</span>
          {e.status && e.status !== 'intact' ? <span className="bad"> ({e.status.toUpperCase()})</span> : null}
        </li>
      ))}
    </ul>
  );
}
