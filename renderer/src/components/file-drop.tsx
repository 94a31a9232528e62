import { type DragEvent, useRef, useState } from 'react';
import type { FilePurpose } from '../../../electron/shared/contract/index';
import { chooseFiles, errorText, hasNativeDialogs } from '../api/client';

/**
 * A drop zone with a picker: files dropped or chosen go to onFiles. In the desktop app, with a purpose and onPaths,
 * "Choose files…" opens the OS's own dialog and hands over paths instead.
 */
export function FileDrop({
  onFiles,
  onPaths,
  purpose,
  label,
  testId,
}: {
  onFiles: (files: File[]) => void;
  onPaths?: (paths: string[]) => void;
  purpose?: FilePurpose;
  label: string;
  testId: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choose = () => {
    setError(null);
    if (purpose && onPaths && hasNativeDialogs()) {
      chooseFiles(purpose).then((paths) => paths?.length && onPaths(paths), (e) => setError(errorText(e)));
    } else input.current?.click();
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length) onFiles(files);
  };
  return (
    <div
      className={over ? 'drop over' : 'drop'}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <span>{label}</span>
      <button type="button" onClick={choose} data-testid={`${testId}-choose`}>
        Choose files…
      </button>
      {error && <span className="error-text">{error}</span>}
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid={testId}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
