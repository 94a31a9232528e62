import { plural } from '../../shared/plural';
import type { IncidentReportModel } from '../../shared/reports';
import { utc } from './format';

/** The Markdown report's table writer (markdown.ts), handed in so both lay tables out the same way. */
type Table = (head: string[], rows: unknown[][]) => string[];

/**
 * Which rows the incident lost or changed, per table, what they held and whose they were (issue 20), as the HTML
 * report's ScopeOfLossSection says it: counts, categories and the foreign-key path to the people, never a value.
 */
export function scopeOfLossMarkdown(m: IncidentReportModel, table: Table): string[] {
  const diffs = m.scopeOfLoss ?? [];
  if (!diffs.length) return [];
  return [
    '## Scope of the loss: rows and personal data',
    '',
    ...diffs.flatMap((d) => {
      const about = d.reference ? `${d.reference} (the backup) against ${d.actual}` : d.actual;
      const verdict = d.problem ? `**Not shown: ${d.problem}.**` : d.tables.length === 0 ? 'Same rows in every table.' : '';
      const held = d.classes.length ? `**The loss holds ${d.classes.join(', ')}.**` : '';
      return [
        [`${d.runId}: ${about}, ${utc(d.comparedAt)}.`, verdict, held].filter(Boolean).join(' '),
        '',
        ...(d.tables.length
          ? table(
              ['Table', 'Missing', 'Extra', 'Changed', 'Personal data', 'People affected', 'Path to the people', 'Key list'],
              d.tables.map((t) => [
                [t.table, t.status !== 'differs' ? `(${t.status})` : '', t.keyedBy === 'whole-row' ? '(no primary key: whole rows compared)' : ''].filter(Boolean).join(' '),
                t.missing,
                t.extra,
                t.changed,
                t.categories.length ? `${t.classes.join(', ')}: ${t.categories.join(', ')}` : '—',
                t.subjects ? `${t.subjects.affected} of ${plural(t.subjects.total, 'person', 'people')} (${t.subjects.table})` : '—',
                t.subjects ? t.subjects.path || 'its own key' : '—',
                t.keysEvidence ?? '—',
              ]),
            )
          : []),
      ];
    }),
  ];
}
