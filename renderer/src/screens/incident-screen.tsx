import { useEffect } from 'react';
import { ActivityTimeline } from '../components/activity-timeline';
import { ClocksPanel } from '../components/clocks-panel';
import { CloudTrailPanel } from '../components/cloudtrail-panel';
import { AwarenessLine } from '../components/awareness-line';
import { ChainPanel } from '../components/chain-panel';
import { EscalationBanner } from '../components/escalation-banner';
import { EvidencePanel } from '../components/evidence-panel';
import { GapPanel } from '../components/gap-panel';
import { IdentityPanel } from '../components/identity-panel';
import { MonitoringPanel } from '../components/monitoring-panel';
import { ParamsForm } from '../components/params-form';
import { PhasePanel } from '../components/phase-panel';
import { PhaseStepper } from '../components/phase-stepper';
import { ReportsPanel } from '../components/reports-panel';
import { SampleBanner } from '../components/sample-banner';
import { SignOffPanel } from '../components/signoff-panel';
import { ValidationPanel } from '../components/validation-panel';
import { incidentStanding } from '../../../electron/shared/domain';
import { useCloudTrailTimeline } from '../stores/cloudtrail-timeline-store';
import { type IncidentTab, useRoute } from '../stores/route-store';
import { useRun } from '../stores/run-store';

const TAB_LABELS: Record<IncidentTab, string> = {
  run: 'Run',
  evidence: 'Evidence',
  cloudtrail: 'Cloud logs',
  identity: 'Agent identity',
  chain: 'Decision chain',
  validation: 'Validation',
  gap: 'Gap analysis',
  signoff: 'Sign-off',
  reports: 'Reports',
  parameters: 'Parameters',
  activity: 'Activity',
};

/**
 * What a tab reads first, asked for on the click itself: the server reads it while React renders the tab, and the
 * tab's own mount joins the read under way instead of starting it only after the whole panel is rendered.
 */
const PRELOAD: Partial<Record<IncidentTab, (incidentId: string) => void>> = {
  cloudtrail: (incidentId) => void useCloudTrailTimeline.getState().load(incidentId),
};

export function IncidentScreen({ id, tab }: { id: string; tab: IncidentTab }) {
  const run = useRun((s) => (s.incidentId === id ? s.run : null));
  const status = useRun((s) => s.status);
  const error = useRun((s) => s.error);
  const selectedPhase = useRun((s) => s.selectedPhase);
  const load = useRun((s) => s.load);
  const go = useRoute((s) => s.go);

  useEffect(() => {
    void load(id);
  }, [id, load]);

  if (!run) {
    return (
      <main className="page" data-state={status === 'error' ? 'error' : 'loading'} data-testid="incident-screen" data-incident-id={id} aria-busy={status !== 'error'}>
        {status === 'error' ? (
          <>
            <p className="error" role="alert" data-testid="run-error">{error}</p>
            <button type="button" onClick={() => go({ name: 'incidents' })} data-testid="run-back">Back to incidents</button>
          </>
        ) : (
          <p>Loading {id}…</p>
        )}
      </main>
    );
  }

  const { incident } = run;
  const phaseId = selectedPhase ?? incident.phase;
  const phase = run.phases.find((p) => p.id === phaseId) ?? run.phases[0];

  return (
    <main className="page incident" data-state={status} data-testid="incident-screen" data-incident-id={incident.id}>
      <nav className="crumbs">
        <button type="button" className="link" onClick={() => go({ name: 'incidents' })} data-testid="crumb-incidents">Incidents</button> / <span className="mono">{incident.id}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 data-testid="incident-title">{incident.title}</h1>
          <div className="sub">
            <span className={`sev sev-${incident.severity}`}>{incident.severity}</span>{' '}
            <span data-testid="incident-standing">{incidentStanding(incident, new Date())}</span> · {run.playbook.title} v
            {incident.playbook.version} · pinned <span className="mono" title={incident.playbook.sha256}>{incident.playbook.sha256.slice(0, 12)}</span> ·
            opened {new Date(incident.createdAt).toUTCString()} by {incident.createdBy.name}
          </div>
          <AwarenessLine run={run} />
        </div>
      </div>
      {error && <p className="error" role="alert" data-testid="run-error">{error}</p>}
      <SampleBanner run={run} />
      {/* Keyed by tab: a banner seen once folds to one line on the next tab, leaving its first step in sight. */}
      <div className="banners" key={tab}>
        <EscalationBanner run={run} />
        <ClocksPanel run={run} />
        <MonitoringPanel run={run} />
      </div>
      <div className="tabs" role="tablist" aria-label="Incident views">
        {(Object.keys(TAB_LABELS) as IncidentTab[]).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={tab === t ? 'tab active' : 'tab'}
            data-testid={`tab-${t}`}
            onClick={() => {
              if (t !== tab) PRELOAD[t]?.(id);
              go({ name: 'incident', id, tab: t });
            }}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
      </div>
      {tab === 'run' && phase && (
        <>
          <PhaseStepper run={run} selected={phase.id} />
          <PhasePanel run={run} phase={phase} />
        </>
      )}
      {tab === 'evidence' && <EvidencePanel incidentId={incident.id} />}
      {tab === 'cloudtrail' && <CloudTrailPanel incidentId={incident.id} />}
      {tab === 'identity' && <IdentityPanel incidentId={incident.id} />}
      {tab === 'chain' && <ChainPanel incidentId={incident.id} />}
      {tab === 'validation' && <ValidationPanel run={run} />}
      {tab === 'gap' && <GapPanel incidentId={incident.id} />}
      {tab === 'signoff' && <SignOffPanel incidentId={incident.id} />}
      {tab === 'reports' && <ReportsPanel incidentId={incident.id} />}
      {tab === 'parameters' && <ParamsForm run={run} />}
      {tab === 'activity' && <ActivityTimeline run={run} />}
    </main>
  );
}
