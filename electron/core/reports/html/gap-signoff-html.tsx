import { GAP_STATES } from '../../../shared/gap';
import type { GapReportModel, SignOffReportModel } from '../../../shared/reports';
import { GAP_STATE_CLASS, gateValidationText, stateLabel, utc, who } from '../format';
import { EvidenceRefs, Overrides, Section, SignatureCard } from './common';

export function GapBody({ m }: { m: GapReportModel }) {
  return (
    <>
      <Section title="Summary" id="summary">
        <p>
          {m.controls.length} controls in the gap set:{' '}
          {[...GAP_STATES, 'unassessed' as const]
            .filter((s) => m.counts[s])
            .map((s) => `${m.counts[s]} ${s === 'unassessed' ? 'not assessed' : stateLabel(s).toLowerCase()}`)
            .join(', ')}
          .
        </p>
        {m.missing.length ? (
          <>
            <p className="bad">The analysis is not complete:</p>
            <ul>
              {m.missing.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          </>
        ) : (
          <p className="ok">Every control has a state; every gap has an owner and a due date.</p>
        )}
        <table>
          <thead>
            <tr>
              <th>Control</th>
              <th>State</th>
              <th>Owner</th>
              <th>Due</th>
            </tr>
          </thead>
          <tbody>
            {m.controls.map((c) => (
              <tr key={c.controlId}>
                <td>
                  {c.label} {c.control?.title ?? ''}
                </td>
                <td className={GAP_STATE_CLASS[c.state ?? 'unassessed']}>{stateLabel(c.state)}</td>
                <td>{c.owner ?? ''}</td>
                <td>{c.dueDate ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Controls" id="controls">
        {m.controls.map((c) => (
          <div className="control" key={c.controlId}>
            <h3>
              {c.label} {c.control?.title ?? '(not in the shipped catalog)'} <span className={`pill ${GAP_STATE_CLASS[c.state ?? 'unassessed']}`}>{stateLabel(c.state)}</span>
            </h3>
            <div className="small muted">
              {c.control?.family ?? ''} · {c.source === 'gap-assessment' ? `asked by step ${c.stepId}` : c.source === 'phase' ? 'named by the assessing phase' : 'mapped by the playbook'}
            </div>
            {c.question ? (
              <p>
                <strong>Question:</strong> {c.question}
              </p>
            ) : null}
            <table className="meta">
              <tbody>
                <tr>
                  <th>{c.state === 'not-applicable' ? 'Why not applicable' : 'Specific gap'}</th>
                  <td>{c.gap ?? '—'}</td>
                </tr>
                <tr>
                  <th>Owner</th>
                  <td>{c.owner ?? '—'}</td>
                </tr>
                <tr>
                  <th>Due date</th>
                  <td>{c.dueDate ?? '—'}</td>
                </tr>
                <tr>
                  <th>Recorded</th>
                  <td>{c.updatedAt ? `${utc(c.updatedAt)} by ${who(c.updatedBy)}` : '—'}</td>
                </tr>
                <tr>
                  <th>Evidence</th>
                  <td>
                    <EvidenceRefs items={c.evidence} />
                  </td>
                </tr>
              </tbody>
            </table>
            {c.control ? (
              <>
                <div className="catalog">
                  <strong>Control statement (SP 800-53 Rev. 5)</strong>
                  {c.control.statement.map((l, i) => (
                    <div className="line" key={i} style={{ marginLeft: `${l.depth * 14}px` }}>
                      {l.label} {l.text}
                    </div>
                  ))}
                </div>
                <div className="catalog">
                  <strong>Assessment objectives (SP 800-53A Rev. 5)</strong>
                  {c.control.objectives.map((l, i) => (
                    <div className="line" key={i} style={{ marginLeft: `${l.depth * 14}px` }}>
                      {l.label} {l.text}
                    </div>
                  ))}
                </div>
              </>
            ) : null}
          </div>
        ))}
      </Section>
      <Section title="Sign-offs" id="signoffs">
        {m.signOffs.length ? m.signOffs.map((s) => <SignatureCard key={s.id} s={s} />) : <p>Nobody has signed yet.</p>}
      </Section>
    </>
  );
}

export function SignOffBody({ m }: { m: SignOffReportModel }) {
  return (
    <>
      <Section title="Overrides" id="overrides">
        <Overrides overrides={m.overrides} />
      </Section>
      {m.steps.map((s) => (
        <Section key={s.stepId} title={`${s.title} (${s.phaseId})`} id={s.stepId}>
          <p className={s.complete ? 'ok' : 'bad'}>
            {s.complete ? 'Complete: every required role has signed.' : `Incomplete: ${s.signers.filter((x) => !x.signOff).map((x) => x.role).join(', ')} still to sign.`}
          </p>
          <h3>Attestations</h3>
          <ol className="attest">
            {s.attestations.map((a) => (
              <li key={a.id}>
                {a.text} <span className="small muted">({a.id})</span>
                <EvidenceRefs items={a.evidence} />
              </li>
            ))}
          </ol>
          <h3>Gate</h3>
          <p className={s.gate.met ? 'ok' : 'bad'}>
            {s.gate.met ? 'Met.' : 'NOT MET.'} {gateValidationText(s.gate)}.
          </p>
          {s.gate.missing.length ? (
            <ul>
              {s.gate.missing.map((x) => (
                <li key={x} className="bad">
                  {x}
                </li>
              ))}
            </ul>
          ) : null}
          <h3>Signers</h3>
          <table>
            <thead>
              <tr>
                <th>Role</th>
                <th>Signed by</th>
                <th>When</th>
                <th>Key fingerprint</th>
              </tr>
            </thead>
            <tbody>
              {s.signers.map((x) => (
                <tr key={x.role}>
                  <td>{x.role}</td>
                  <td className={x.signOff ? '' : 'bad'}>{x.signOff ? x.signOff.name : 'not signed'}</td>
                  <td>{utc(x.signOff?.signedAt)}</td>
                  <td className="hash">{x.signOff?.fingerprint ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {s.signOffs.map((r) => (
            <SignatureCard key={r.id} s={r} verified={m.verified[r.id]} />
          ))}
        </Section>
      ))}
    </>
  );
}
