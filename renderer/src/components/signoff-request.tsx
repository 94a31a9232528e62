import { useEffect, useMemo, useState } from 'react';
import { signerKey, useSignOff } from '../stores/signoff-store';

/** A link that saves the request file exactly as made: the signature covers every byte of it. */
function useDownloadUrl(text: string | undefined): string | null {
  const url = useMemo(() => (text === undefined ? null : URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))), [text]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

/**
 * Asking the signer of one role: make the request (its statement shown, the file saved to send them), then import the
 * signature file they send back. Earlier requests for the role are listed with their state: a stale one says what changed.
 */
export function SignerRequest({ stepId, role, disabled, reason }: { stepId: string; role: string; disabled: boolean; reason: { override?: string } }) {
  const made = useSignOff((s) => s.made[signerKey(stepId, role)]);
  const requests = useSignOff((s) => s.requests);
  const request = useSignOff((s) => s.request);
  const importSignature = useSignOff((s) => s.importSignature);
  const busy = useSignOff((s) => s.status === 'busy');
  const [file, setFile] = useState<File | null>(null);
  const url = useDownloadUrl(made?.text);
  const mine = requests.filter((r) => r.stepId === stepId && r.role === role && r.state !== 'signed');
  const submit = async () => {
    if (!file) return;
    await importSignature({ stepId, role, signature: await file.text(), fileName: file.name });
    setFile(null);
  };
  return (
    <div className="request" data-testid="signer-request">
      <button type="button" disabled={disabled} onClick={() => void request({ stepId, role, ...reason })} data-testid="request-make">
        Make a request for the {role}
      </button>
      {made && (
        <div data-testid="request-made" data-request-id={made.id}>
          <p className="small">
            Request {made.id}. Send the file to the {role}; they sign it on their own machine (firebreak signoff sign, or ssh-keygen -Y sign -n firebreak-signoff)
            and send back the .sig file.
          </p>
          <blockquote data-testid="request-statement">{made.body.statement}</blockquote>
          {url && (
            <a href={url} download={made.fileName} data-testid="request-download">
              Save {made.fileName}
            </a>
          )}
          <details>
            <summary>The whole request, as the signer reads it</summary>
            <pre className="small" data-testid="request-text">{made.text}</pre>
          </details>
        </div>
      )}
      {mine.length > 0 && (
        <ul className="small" data-testid="request-list">
          {mine.map((r) => (
            <li key={r.id} data-testid="request-state" data-request-id={r.id} data-state={r.state}>
              {r.id} ({r.requestedAt}): {r.state}
              {r.changes.length > 0 && <span className="error-text"> {r.changes.join('; ')}</span>}
            </li>
          ))}
        </ul>
      )}
      <label>
        Their signature (.sig)
        <input type="file" accept=".sig,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="signature-file" />
      </label>
      <button type="button" disabled={busy || !file} onClick={() => void submit()} data-testid="signature-import">
        Import the signature
      </button>
    </div>
  );
}
