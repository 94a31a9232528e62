import { useState } from 'react';
import { errorText } from '../api/client';
import { useEvidence } from '../stores/evidence-store';
import { FileDrop } from './file-drop';
import { UploadList } from './upload-list';

/** Attach evidence to one required artifact: a new file, or an item already in the locker. */
export function ArtifactAttach({ incidentId, artifactId }: { incidentId: string; artifactId: string }) {
  const { items, add, link, load, incidentId: loaded } = useEvidence();
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState('');
  const candidates = items.filter((i) => !i.linkedSteps.includes(artifactId));
  const ensureLoaded = () => {
    if (loaded !== incidentId) void load(incidentId);
  };
  return (
    <div className="attach" onFocus={ensureLoaded} onMouseEnter={ensureLoaded}>
      <FileDrop
        label="Attach a file"
        onFiles={(f) => void add(incidentId, f, [artifactId]).catch((e) => setError(errorText(e)))}
        purpose="evidence"
        onPaths={(paths) => void add(incidentId, paths.map((path) => ({ path })), [artifactId]).catch((e) => setError(errorText(e)))}
        testId={`attach-${artifactId}`}
      />
      <UploadList target={artifactId} />
      {candidates.length > 0 && (
        <span className="inline-form">
          <select value={choice} onChange={(e) => setChoice(e.target.value)} aria-label="Link an item already in the locker">
            <option value="">or link an item already collected…</option>
            {candidates.map((i) => (
              <option key={i.id} value={i.id}>
                {i.id} {i.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={!choice}
            onClick={() =>
              void link(choice, artifactId).then(
                () => setChoice(''),
                (e) => setError(errorText(e)),
              )
            }
          >
            Link
          </button>
        </span>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
