import { useEvidence } from '../stores/evidence-store';

/** Uploads in progress or failed; with `target`, only those attached to that step or artifact. */
export function UploadList({ target }: { target?: string }) {
  const uploads = useEvidence((s) => s.uploads);
  const cancel = useEvidence((s) => s.cancel);
  const visible = uploads.filter((u) => u.state !== 'done' && (target === undefined || u.target === target));
  if (visible.length === 0) return null;
  return (
    <ul className="uploads" data-testid="uploads">
      {visible.map((u) => (
        <li key={u.key} data-state={u.state}>
          <span>{u.name}</span>
          {u.state === 'uploading' ? (
            <>
              <progress max={u.total || 1} value={u.done} />
              <span className="sub">{u.total ? Math.floor((100 * u.done) / u.total) : 0}%</span>
              <button type="button" onClick={() => cancel(u.key)} data-testid="upload-cancel">Cancel</button>
            </>
          ) : (
            <span className="error-text">{u.error}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
