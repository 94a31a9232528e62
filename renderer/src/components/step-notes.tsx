import { useEffect, useRef, useState } from 'react';
import ReactMarkdown from 'react-markdown';
import { errorText } from '../api/client';
import { useRun } from '../stores/run-store';

const AUTOSAVE_MS = 800;

/** Markdown notes per step, saved automatically a moment after typing stops (and on leaving the field). */
export function StepNotes({ stepId, note, disabled }: { stepId: string; note: string | null; disabled: boolean }) {
  const change = useRun((s) => s.change);
  const [text, setText] = useState(note ?? '');
  const [editing, setEditing] = useState(false);
  const [state, setState] = useState<'saved' | 'dirty' | 'saving' | 'error'>('saved');
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The text to save, read by the debounced save (state would be stale inside its closure).
  const latest = useRef(note ?? '');

  const save = async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const value = latest.current;
    if (value === (note ?? '')) {
      setState('saved');
      return;
    }
    setState('saving');
    try {
      await change('workflow.setNote', { stepId, note: value });
      setState(latest.current === value ? 'saved' : 'dirty');
      setError(null);
    } catch (e) {
      setState('error');
      setError(errorText(e));
    }
  };

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const onChange = (value: string) => {
    latest.current = value;
    setText(value);
    setState('dirty');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
  };

  if (!editing) {
    return (
      <div className="notes">
        {text ? (
          <div className="markdown" data-testid="step-note">
            <ReactMarkdown>{text}</ReactMarkdown>
          </div>
        ) : null}
        {!disabled && (
          <button type="button" className="link" onClick={() => setEditing(true)} data-testid="step-note-edit">
            {text ? 'Edit note' : 'Add a note'}
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="notes">
      <textarea
        autoFocus
        rows={4}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => void save()}
        placeholder="Markdown: what you found, links, ticket numbers"
        aria-label="Step note"
        data-testid="step-note-input"
      />
      <div className="note-bar">
        <span className="sub" data-testid="note-state" data-state={state}>
          {state === 'saved' ? 'Saved' : state === 'saving' ? 'Saving…' : state === 'dirty' ? 'Editing…' : 'Not saved'}
        </span>
        <button
          type="button"
          data-testid="step-note-done"
          onClick={() => {
            void save();
            setEditing(false);
          }}
        >
          Done
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
