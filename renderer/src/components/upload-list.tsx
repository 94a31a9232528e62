import { useEvidence } from '../stores/evidence-store';

export function UploadList() {
  const { uploads, cancel } = useEvidence();
  const visible = uploads.filter((u) => u.state !== 'done');
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
              <button type="button" onClick={() => cancel(u.key)}>Cancel</button>
            </>
          ) : (
            <span className="error-text">{u.error}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
