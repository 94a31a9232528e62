import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { plural } from '../../../electron/shared/plural';

/** Rows of the list whose lower edge lies below the visible part of the scroll box: the ones a reader cannot see. */
function rowsBelow(box: HTMLElement, rowSelector: string): number {
  const bottom = box.getBoundingClientRect().bottom;
  let hidden = 0;
  for (const row of box.querySelectorAll(rowSelector)) if (row.getBoundingClientRect().bottom > bottom + 1) hidden += 1;
  return hidden;
}

/**
 * A bounded scroll box that says how many of its rows are out of sight, so a long list never hides rows silently
 * (the findings list showed 8 of 14 with nothing to say more were there). The cue sits under the box and disappears once
 * the last row is in view.
 */
export function ScrollCue({ children, className, noun, rowSelector, testId }: { children: ReactNode; className: string; noun: string; rowSelector: string; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState(0);
  const measure = useCallback(() => {
    if (box.current) setHidden(rowsBelow(box.current, rowSelector));
  }, [rowSelector]);
  useEffect(() => {
    measure();
    const el = box.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    return () => observer.disconnect();
  }, [measure, children]);
  return (
    <>
      <div ref={box} className={`${className}${hidden ? ' has-more' : ''}`} onScroll={measure} data-testid={testId} data-hidden={hidden}>
        {children}
      </div>
      {hidden ? (
        <button type="button" className="scroll-cue" data-testid={`${testId}-cue`} onClick={() => box.current?.scrollBy({ top: box.current.clientHeight * 0.8, behavior: 'smooth' })}>
          ↓ {plural(hidden, `more ${noun}`, `more ${noun}s`)} below: scroll the list
        </button>
      ) : null}
    </>
  );
}
