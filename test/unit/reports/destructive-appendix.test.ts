import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DESTRUCTIVE_TABLE_MAX } from '../../../electron/core/reports/destructive-lines';
import { DestructiveCallsAppendix } from '../../../electron/core/reports/html/destructive-calls';
import type { ReportDestructiveCalls } from '../../../electron/shared/reports';

/** `n` calls by one agent identity, two operations, every fifth failed. */
function calls(n: number): ReportDestructiveCalls {
  const list = Array.from({ length: n }, (_, i) => ({
    at: new Date(Date.UTC(2026, 4, 12, 14, 0, i)).toISOString(),
    operation: i < n / 2 ? 'DeleteObject' : 'DeleteTable',
    resource: `table=orders-${i}`,
    region: 'eu-west-1',
    status: i % 5 === 0 ? 'AccessDenied' : 'ok',
    eventId: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
  }));
  const failed = list.filter((c) => c.status !== 'ok').length;
  return {
    total: n,
    failed,
    notListed: 0,
    identities: [
      {
        principal: 'arn:aws:sts::111122223333:assumed-role/ai-agent-prod/run-1',
        label: 'ai-agent-prod',
        agent: 'ai-agent-prod',
        total: n,
        failed,
        operations: ['DeleteObject', 'DeleteTable'].map((operation) => ({
          operation,
          calls: list.filter((c) => c.operation === operation).length,
          failed: list.filter((c) => c.operation === operation && c.status !== 'ok').length,
        })),
        calls: list,
      },
    ],
  };
}

const html = (d: ReportDestructiveCalls) => renderToStaticMarkup(createElement(DestructiveCallsAppendix, { d }));

describe('the appendix of every destructive call', () => {
  it('is a table with a row per call up to the limit', () => {
    const page = html(calls(DESTRUCTIVE_TABLE_MAX));
    expect(page).not.toContain('<pre');
    expect(page.match(/<tr>/g)).toHaveLength(DESTRUCTIVE_TABLE_MAX + 1);
  });

  it('is a listing of one line per call above it, every call with its short event id, status and resource', () => {
    const d = calls(5_000);
    const page = html(d);
    expect(page).not.toContain('<table');
    const text = (/<pre class="listing">([\s\S]*)<\/pre>/.exec(page)?.[1] ?? '').replace(/<[^>]+>/g, '');
    const lines = text.split('\n').filter((l) => l);
    expect(lines).toHaveLength(1 + 5_000);
    expect(lines[1]).toBe('2026-05-12 14:00:00Z DeleteObject                  eu-west-1      AccessDenied            00000000  table=orders-0');
    for (const c of d.identities[0]?.calls ?? []) expect(text).toContain(`${c.eventId.slice(0, 8)}  ${c.resource}\n`);
    expect(page).toContain('5000 destructive calls (1000 failed)');
  });

  it('is absent when the logs hold no destructive call', () => {
    expect(renderToStaticMarkup(createElement(DestructiveCallsAppendix, { d: null }))).toBe('');
  });
});
