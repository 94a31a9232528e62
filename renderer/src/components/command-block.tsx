import { useState } from 'react';
import type { Parameter, StepOf } from '../../../electron/shared/playbook/schema';
import { renderCommand } from '../../../electron/shared/playbook/template';
import { DEFAULT_LANGUAGE } from '../../../electron/shared/playbook/vocabulary';

/** The command with this incident's parameter values filled in, each quoted for the command's language. */
export function CommandBlock({
  step,
  params,
  parameters,
  missingHint = 'Fill in on the Parameters tab',
}: {
  step: StepOf<'command'>;
  params: Readonly<Record<string, string>>;
  parameters: readonly Parameter[];
  missingHint?: string;
}) {
  const [copied, setCopied] = useState(false);
  const language = step.language ?? DEFAULT_LANGUAGE[step.platform];
  const rendered = renderCommand(step.command, language, params, parameters);
  const copy = async () => {
    await navigator.clipboard.writeText(rendered.text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="command" data-testid="command">
      <div className="command-head">
        <span className="badge">{step.platform}</span>
        <span className="sub">{language}</span>
        {step.compensatingFor && <span className="sub">stands in for {step.compensatingFor}</span>}
        <button type="button" className="copy" onClick={() => void copy()} data-testid="copy-command" aria-label="Copy the command">
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre data-testid="command-text">{rendered.text}</pre>
      {rendered.missing.length > 0 && (
        <p className="warn">
          {missingHint}: {rendered.missing.join(', ')}
        </p>
      )}
      {rendered.invalid.length > 0 && <p className="error">{rendered.invalid.join('; ')}</p>}
      {step.expect && <p className="sub">Look for: {step.expect}</p>}
    </div>
  );
}
