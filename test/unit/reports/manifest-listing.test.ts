import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EvidenceManifest, MANIFEST_TABLE_MAX } from '../../../electron/core/reports/html/evidence-manifest';
import type { ReportEvidenceItem } from '../../../electron/shared/reports';

const items = (n: number): ReportEvidenceItem[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `EV-${String(i + 1).padStart(6, '0')}`,
    name: `lookup-events-page-${i}.json`,
    sha256: i.toString(16).padStart(64, 'a'),
    size: 1024 + i,
    sourceKind: 'cloudtrail-api',
    acquiredAt: '2026-05-12T14:00:00.000Z',
    acquiredBy: { name: 'Dana Reyes', role: 'IR lead' },
    status: i === 7 ? 'modified' : 'intact',
    linkedSteps: i === 3 ? ['isolate-agent'] : [],
  }));

const manifest = (list: ReportEvidenceItem[]) => renderToStaticMarkup(createElement(EvidenceManifest, { items: list }));

describe('the evidence manifest of the incident report', () => {
  it('is a table, in chunks of 500 rows, up to the limit', () => {
    const html = manifest(items(MANIFEST_TABLE_MAX));
    expect(html.match(/<table class="chunk">/g)).toHaveLength(2);
    expect(html).not.toContain('<pre');
    expect(html).toContain('<td class="bad">modified</td>');
  });

  it('is an aligned listing of two lines per item above it, with every id, hash and acquirer, and damage in red', () => {
    const list = items(MANIFEST_TABLE_MAX + 1);
    const html = manifest(list);
    expect(html).not.toContain('<table');
    const pre = /<pre class="listing">([\s\S]*)<\/pre>/.exec(html)?.[1] ?? '';
    const text = pre.replace(/<[^>]+>/g, '');
    const lines = text.split('\n').filter((l) => l);
    expect(lines).toHaveLength(2 + 2 * list.length);
    expect(lines[2]).toBe('EV-000001  1.0 KiB    intact    2026-05-12 14:00:00 UTC  lookup-events-page-0.json');
    expect(lines[3]).toBe(`    ${list[0]?.sha256}  cloudtrail-api · Dana Reyes (IR lead)`);
    expect(lines[9]).toContain('· isolate-agent');
    expect(html).toContain(`<span class="bad">EV-000008  1.0 KiB    modified  `);
    for (const e of list) expect(text).toContain(`${e.id} `);
    for (const e of list) expect(text).toContain(e.sha256);
  });
});
