import { type FormEvent, useState } from 'react';
import { checkParameterValue } from '../../../electron/shared/playbook/parameter-values';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { ApiCallError, errorText } from '../api/client';
import { useRun } from '../stores/run-store';

/** The playbook's declared parameters, checked by type as you type; saving records every change in the ledger. */
export function ParamsForm({ run }: { run: IncidentRun }) {
  const change = useRun((s) => s.change);
  const [values, setValues] = useState<Record<string, string>>(run.incident.params);
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const problems = Object.fromEntries(
    run.playbook.parameters.map((p) => [p.name, values[p.name]?.trim() ? checkParameterValue(p.type, values[p.name] ?? '') : undefined]),
  );
  const dirty = run.playbook.parameters.some((p) => (values[p.name] ?? '') !== (run.incident.params[p.name] ?? ''));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors([]);
    setSaved(false);
    const params = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
    try {
      await change('workflow.setParams', { params });
      setSaved(true);
    } catch (err) {
      setErrors(err instanceof ApiCallError ? [err.message, ...err.details] : [errorText(err)]);
    }
  };

  return (
    <form className="card params" onSubmit={submit} data-testid="params-form">
      <h2>Parameters</h2>
      <p className="hint">Commands in the playbook are filled with these values, quoted for their shell. Every change is recorded.</p>
      {run.playbook.parameters.map((p) => (
        <label key={p.name}>
          {p.label} {p.required && <span className="badge required">required</span>} <span className="sub mono">{p.name} · {p.type}</span>
          {p.type === 'list' ? (
            <textarea
              rows={2}
              value={values[p.name] ?? ''}
              placeholder={p.example}
              onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
              data-testid={`param-${p.name}`}
              aria-invalid={Boolean(problems[p.name])}
            />
          ) : (
            <input
              value={values[p.name] ?? ''}
              placeholder={p.example}
              onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
              data-testid={`param-${p.name}`}
              aria-invalid={Boolean(problems[p.name])}
            />
          )}
          {p.description && <span className="sub">{p.description}</span>}
          {problems[p.name] && <span className="field-error" data-testid={`param-problem-${p.name}`}>This value {problems[p.name]}.</span>}
        </label>
      ))}
      {errors.length > 0 && (
        <div className="error" role="alert" data-testid="params-error">
          {errors.join('\n')}
        </div>
      )}
      <div className="actions">
        {saved && !dirty && <span className="ok" data-testid="params-saved">Saved</span>}
        <button type="submit" className="primary" disabled={!dirty} data-testid="params-save">
          Save parameters
        </button>
      </div>
    </form>
  );
}
