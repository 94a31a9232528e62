import type { IncidentReportModel } from '../../../shared/reports';
import { iamReportView } from '../iam-view';
import { Section } from './common';

/** The agent's identity: could versus did per identity, credential facts, revocations and the least-privilege drafts. */
export function IamSection({ m }: { m: IncidentReportModel }) {
  if (!m.iam) return null;
  const v = iamReportView(m.iam, m.incident.id);
  return (
    <Section title="The agent's identity: what it could do and what it did" id="iam">
      <p>{v.intro}</p>
      {v.problem ? <p className="bad">{v.problem}</p> : null}
      {v.identities.map((i) => (
        <div key={i.identity}>
          <h3>{i.identity}</h3>
          <table className="meta">
            <tbody>
              {i.rows.map((r) => (
                <tr key={r.label}>
                  <th>{r.label}</th>
                  <td className={r.bad ? 'bad' : ''}>{r.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {v.credentials.length ? (
        <>
          <h3>Credential lifecycle (AC-2)</h3>
          {v.credentials.map((c) => (
            <div key={c.who}>
              <p>{c.who}</p>
              <ul>
                {c.findings.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </div>
          ))}
        </>
      ) : null}
      <h3>Revocations</h3>
      {v.revocations.rows.length ? (
        <table>
          <thead>
            <tr>
              {v.revocations.head.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {v.revocations.rows.map((r) => (
              <tr key={r[0]}>
                {v.revocations.head.map((h, i) => (
                  <td key={h}>{r[i]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>The agent's access has not been revoked through Firebreak.</p>
      )}
      {v.drafts.length ? (
        <>
          <h3>Least-privilege drafts (evidence for Eradication)</h3>
          <ul>
            {v.drafts.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Section>
  );
}
