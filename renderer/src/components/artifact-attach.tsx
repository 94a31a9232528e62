import { useState } from 'react';
import { useEvidence } from '../stores/evidence-store';
import { FileDrop } from './file-drop';
import { UploadList } from './upload-list';

/** Attach evidence to one required artifact: a new file, or an item already in the locker. */
export function ArtifactAttach({ incidentId, artifactId }: { incidentId: string; artifactId: string }) {
  const items = useEvidence((s) => s.items);
  const loaded = useEvidence((s) => s.incidentId);
  const status = useEvidence((s) => s.status);
  const error = useEvidence((s) => (s.errorAt === artifactId ? s.error : null));
  const add = useEvidence((s) => s.add);
  const link = useEvidence((s) => s.link);
  const load = useEvidence((s) => s.load);
  const [choice, setChoice] = useState('');
  const candidates = loaded === incidentId ? items.filter((i) => !i.linkedSteps.includes(artifactId)) : [];
  // The locker is read when the responder reaches for it, not for every artifact of every phase shown.
  const ensureLoaded = () => {
    if (loaded !== incidentId) void load(incidentId);
  };
  return (
    <div className="attach" onFocus={ensureLoaded} onMouseEnter={ensureLoaded} data-testid="artifact-attach" data-state={loaded === incidentId ? status : 'ready'}>
      <FileDrop
        label="Attach a file"
        onFiles={(f) => void add(incidentId, f, [artifactId])}
        purpose="evidence"
        onPaths={(paths) => void add(incidentId, paths.map((path) => ({ path })), [artifactId])}
        testId={`attach-${artifactId}`}
      />
      <UploadList target={artifactId} />
      {candidates.length > 0 && (
        <span className="inline-form">
          <select value={choice} onChange={(e) => setChoice(e.target.value)} aria-label="Link an item already in the locker" data-testid="attach-existing">
            <option value="">or link an item already collected…</option>
            {candidates.map((i) => (
              <option key={i.id} value={i.id}>
                {i.id} {i.name}
              </option>
            ))}
          </select>
          <button type="button" disabled={!choice} onClick={() => void link(choice, artifactId).then(() => setChoice(''))} data-testid="attach-link">
            Link
          </button>
        </span>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
