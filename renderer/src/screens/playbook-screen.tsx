import { useEffect, useState } from 'react';
import type { ControlInfo } from '../../../electron/shared/playbook/catalog';
import type { Step } from '../../../electron/shared/playbook/schema';
import type { PlaybookDetail } from '../../../electron/shared/playbook/types';
import { CommandBlock } from '../components/command-block';
import { useRoute } from '../stores/route-store';
import { usePlaybooks } from '../stores/playbooks-store';

const controlText = (id: string, controls: Record<string, ControlInfo>) => {
  const c = controls[id];
  return c ? `${c.label} ${c.title}` : id.toUpperCase();
};

/** One playbook in full: triage, parameters, mappings, and each phase's steps with commands ready to copy. */
export function PlaybookScreen({ id }: { id: string }) {
  const detail = usePlaybooks((s) => (s.detailId === id ? s.detail : null));
  const incidents = usePlaybooks((s) => s.incidents);
  const status = usePlaybooks((s) => s.detailStatus);
  const error = usePlaybooks((s) => s.detailError);
  const loadDetail = usePlaybooks((s) => s.loadDetail);
  const go = useRoute((s) => s.go);
  const [fillFrom, setFillFrom] = useState('');

  useEffect(() => {
    void loadDetail(id);
  }, [id, loadDetail]);

  if (!detail) {
    return (
      <main className="page" data-state={status === 'error' ? 'error' : 'loading'} data-testid="playbook-screen" data-playbook-id={id}>
        {error ? <p className="error" role="alert" data-testid="playbook-error">{error}</p> : <p aria-busy="true">Loading {id}…</p>}
      </main>
    );
  }
  const { playbook, controls } = detail;
  const params = incidents.find((i) => i.id === fillFrom)?.params ?? {};

  return (
    <main className="page" data-state={status} data-testid="playbook-screen" data-playbook-id={id}>
      <nav className="crumbs">
        <button type="button" className="link" onClick={() => go({ name: 'playbooks' })} data-testid="crumb-playbooks">Playbooks</button> / <span className="mono">{id}</span>
      </nav>
      <h1>{playbook.title}</h1>
      {error && <p className="error" role="alert" data-testid="playbook-error">{error}</p>}
      <p className="sub">
        v{playbook.version} · <span className={`sev sev-${playbook.severity}`}>{playbook.severity}</span>
        {playbook.cvss ? ` · CVSS ${playbook.cvss.score}${playbook.cvss.vector ? ` (${playbook.cvss.vector})` : ''}` : ''} · triage {playbook.triage.priority} ·{' '}
        {detail.origin} · sha256 <span className="mono">{detail.sha256.slice(0, 16)}…</span>
      </p>
      <p>{playbook.summary}</p>

      <section className="card">
        <h2>Escalation</h2>
        <ul>
          {playbook.triage.escalation.map((e) => (
            <li key={e.id}>
              <strong>{e.notify.join(', ')}</strong>: {e.when}
            </li>
          ))}
        </ul>
        <h2>Framework mappings</h2>
        <ul className="mappings">
          {playbook.mappings.attack?.length ? <li>ATT&CK: {playbook.mappings.attack.map((a) => `${a.id} ${a.name}`).join('; ')}</li> : null}
          {playbook.mappings.sp80053?.length ? <li>SP 800-53: {playbook.mappings.sp80053.map((c) => controlText(c, controls)).join('; ')}</li> : null}
          {playbook.mappings.cis?.length ? <li>CIS v8: {playbook.mappings.cis.map((c) => `${c.id} ${c.title}`).join('; ')}</li> : null}
          {playbook.mappings.soc2?.length ? <li>SOC 2: {playbook.mappings.soc2.map((c) => `${c.id} ${c.title}`).join('; ')}</li> : null}
          {playbook.mappings.hipaa?.length ? <li>HIPAA: {playbook.mappings.hipaa.map((c) => `${c.id} ${c.title}`).join('; ')}</li> : null}
          {playbook.mappings.owasp?.length ? <li>OWASP: {playbook.mappings.owasp.map((c) => `${c.id} ${c.title}`).join('; ')}</li> : null}
        </ul>
      </section>

      <section className="card">
        <h2>Parameters</h2>
        <label>
          Fill commands with the parameters of
          <select value={fillFrom} onChange={(e) => setFillFrom(e.target.value)} data-testid="fill-from">
            <option value="">no incident (show the placeholders)</option>
            {incidents.map((i) => (
              <option key={i.id} value={i.id}>
                {i.id} {i.title}
              </option>
            ))}
          </select>
        </label>
        <table className="grid">
          <tbody>
            {playbook.parameters.map((p) => (
              <tr key={p.name}>
                <td className="mono">{p.name}</td>
                <td>
                  {p.label} <span className="sub">({p.type}{p.required ? ', required' : ''})</span>
                </td>
                <td className="mono small">{params[p.name] ?? p.example}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {playbook.phases.map((phase) => (
        <section key={phase.id} className="card" data-testid="playbook-phase" data-phase={phase.id}>
          <h2>{phase.title}</h2>
          <p className="sub">
            {phase.nist.reference} · {phase.nist.csf.join(', ')}
          </p>
          <p>{phase.objective}</p>
          <p className="small">Controls: {phase.controls.map((c) => controlText(c, controls)).join('; ')}</p>
          <ol className="outline">
            {phase.steps.map((s) => (
              <li key={s.id}>
                <strong>{s.title}</strong> <span className="sub">({s.kind}{phase.gate.steps.includes(s.id) ? ', gate' : ''})</span>
                <StepOutline step={s} params={params} detail={detail} />
              </li>
            ))}
          </ol>
          {phase.gate.evidence?.length ? <p className="small">Gate evidence: {phase.gate.evidence.join(', ')}</p> : null}
        </section>
      ))}
    </main>
  );
}

function StepOutline({ step, params, detail }: { step: Step; params: Record<string, string>; detail: PlaybookDetail }) {
  if (step.kind === 'command') {
    return <CommandBlock step={step} params={params} parameters={detail.playbook.parameters} missingHint="No value for" />;
  }
  if (step.kind === 'gap-assessment') {
    return (
      <ul className="small">
        {step.controls.map((c) => (
          <li key={c.id}>
            {controlText(c.id, detail.controls)}: {c.question}
          </li>
        ))}
      </ul>
    );
  }
  if (step.kind === 'decision') {
    return (
      <div className="small">
        {step.question} {step.answers.map((a) => a.label).join(' / ')}
      </div>
    );
  }
  return step.detail ? <div className="small sub">{step.detail.slice(0, 300)}{step.detail.length > 300 ? '…' : ''}</div> : null;
}
