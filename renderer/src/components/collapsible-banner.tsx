import { type ReactNode, useState } from 'react';

const SEEN_KEY = 'firebreak.banners-seen';

/**
 * Whether this banner of this incident is shown for the first time here. Only a UI preference, so it lives in the
 * browser's storage (domain data never does); without storage every view is a first view.
 */
function firstView(key: string): boolean {
  try {
    const seen = new Set<string>(JSON.parse(window.localStorage.getItem(SEEN_KEY) ?? '[]') as string[]);
    if (seen.has(key)) return false;
    seen.add(key);
    window.localStorage.setItem(SEEN_KEY, JSON.stringify([...seen].slice(-500)));
    return true;
  } catch {
    return true;
  }
}

/**
 * A banner open in full the first time it is seen, then one line (its summary) that opens on a click: escalations and
 * clocks stay in sight on every tab without pushing the tab's first step below the fold.
 */
export function CollapsibleBanner(props: { seenKey: string; summary: ReactNode; className: string; testId: string; label: string; children: ReactNode }) {
  const [open, setOpen] = useState(() => firstView(props.seenKey));
  return (
    <details
      className={`${props.className} collapsible`}
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      data-testid={props.testId}
      data-open={open ? 'true' : 'false'}
      aria-label={props.label}
    >
      <summary data-testid={`${props.testId}-summary`}>{props.summary}</summary>
      {props.children}
    </details>
  );
}
