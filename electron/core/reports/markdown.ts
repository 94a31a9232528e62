import { plural } from '../../shared/plural';
import { GAP_STATES } from '../../shared/gap';
import { analysingNote } from '../../shared/reports';
import type { GapReportModel, IncidentReportModel, ReportDatabaseLog, ReportDestructiveCalls, ReportHeader, ReportModel, ReportOverride, SignOffReportModel } from '../../shared/reports';
import type { SignOffRecord } from '../../shared/signoff';
import { DESTRUCTIVE_TABLE_MAX, LISTING_HEAD, appendixIntro, callLine, callTime, identityHeading, operationsLine, shortEventId } from './destructive-lines';
import { iamMarkdown } from './markdown-iam';
import { scopeOfLossMarkdown } from './markdown-scope';
import { HASH_EXPLANATION, SAMPLE_TEXT, TLP_MEANING, bytes, evidenceStatus, fingerprintLabel, gateValidationText, keyCustody, stateLabel, storeGateLines, utc, who } from './format';

/** Table cells hold one line; pipes are escaped so a value never splits a row. */
const cell = (v: unknown): string => String(v ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const table = (head: string[], rows: unknown[][]): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  '',
];

function top(h: ReportHeader, hash: string): string[] {
  return [
    `**${h.tlp}** · ${h.incident.id}${h.sample ? ' · **SAMPLE**' : ''}`,
    '',
    `> ${TLP_MEANING[h.tlp]}`,
    ...(h.sample ? ['', `> **${SAMPLE_TEXT}**`] : []),
    '',
    `# ${h.title}`,
    '',
    ...table(
      ['', ''],
      [
        ['Incident', `${h.incident.id}: ${h.incident.title}`],
        ['Severity / status', `${h.incident.severity} / ${h.incident.status}`],
        ['Playbook', `${h.incident.playbook.title} v${h.incident.playbook.version}`],
        ['Opened', `${utc(h.incident.openedAt)} by ${who(h.incident.openedBy)}`],
        ['Generated', `${utc(h.generatedAt)} by ${who(h.generatedBy)}`],
        ['Ledger at generation', `entry ${h.record.ledgerEntries}, head ${h.record.ledgerHeadHash ?? '(empty)'}`],
        ['Content SHA-256', `\`${hash}\``],
      ],
    ),
  ];
}

const bottom = (h: ReportHeader, hash: string): string[] => [
  '---',
  '',
  `${h.incident.id} · ${h.tlp}${h.sample ? ' · SAMPLE' : ''} · Content SHA-256 \`${hash}\``,
  '',
  HASH_EXPLANATION,
  '',
];

function overrides(list: ReportOverride[]): string[] {
  if (list.length === 0) return ['No gate was overridden.', ''];
  return list.flatMap((o) => [
    `> **OVERRIDE: ${o.subject}** by ${who(o.by)} at ${utc(o.at)}.`,
    `> Justification: ${o.justification}`,
    ...(o.waived.length ? [`> Waived: ${o.waived.join('; ')}`] : []),
    '',
  ]);
}

function signature(s: SignOffRecord, verified?: boolean): string[] {
  const custody = keyCustody(s);
  return [
    `### ${s.name}, ${s.role}${s.override ? ' (SIGNED WITH OVERRIDE)' : ''}${verified === undefined ? '' : verified ? ' (signature verified)' : ' (SIGNATURE DOES NOT VERIFY)'}`,
    '',
    `${s.id} · ${s.stepTitle} · signed ${utc(s.signedAt)}`,
    '',
    ...(custody ? [custody, ''] : []),
    s.statement.statement,
    '',
    ...(s.override ? [`> **OVERRIDE:** ${s.override.justification}`, ...(s.override.waived.length ? [`> Waived: ${s.override.waived.join('; ')}`] : []), ''] : []),
    `- Signed report SHA-256: \`${s.reportSha256}\``,
    `- ${s.request ? `Request ${s.request.id} SHA-256` : 'Statement SHA-256'}: \`${s.statementSha256}\``,
    ...(s.request ? [`- Ledger pinned: entry ${s.request.ledgerSeq}, \`${s.request.ledgerHead ?? 'empty'}\``] : []),
    `- ${fingerprintLabel(s)}: \`${s.fingerprint}\``,
    s.request
      ? `- Request and signature kept as: ${s.request.evidenceId ?? '—'}, ${s.request.signatureEvidenceId ?? '—'}`
      : `- Signature (base64): \`${s.signature}\``,
    `- Signed report kept as: ${s.reportEvidenceId ?? '—'}`,
    '',
  ];
}

const refs = (items: Array<{ id: string; name: string; sha256: string; status?: string }>) =>
  items.length ? items.map((e) => `${e.id} ${e.name} (sha256 ${e.sha256})${e.status && e.status !== 'intact' ? ` ${e.status.toUpperCase()}` : ''}`).join('; ') : 'no evidence linked';

/** The databases' own record: rows deleted per table, then the destructive statements in time order. */
function databaseLog(log: ReportDatabaseLog | null): string[] {
  if (!log) return ['No database log (binlog, csvlog, pgaudit) has been imported for this incident.', ''];
  return [
    `${log.statements} statements from ${utc(log.first)} to ${utc(log.last)}, ${log.destructive} of them destructive.`,
    '',
    ...(log.rowsDeleted.length ? ['### Rows deleted per table', '', ...table(['Table', 'Rows deleted'], log.rowsDeleted.map((r) => [r.table, r.rows]))] : []),
    '### Destructive statements in time order',
    '',
    ...table(['When', 'Login / database', 'Operation', 'Table', 'Rows', 'Statement', 'Source'], log.entries.map((e) => [utc(e.at), `${e.login ?? '—'}${e.database ? ` / ${e.database}` : ''}`, e.operation, e.table ?? '—', e.rows ?? '—', e.statement, `${e.evidenceId} line ${e.line}`])),
    ...(log.notListed ? [`${log.notListed} more destructive statements are not listed here; they are in the evidence files.`, ''] : []),
  ];
}

function incident(m: IncidentReportModel): string[] {
  return [
    '## Summary',
    '',
    m.summary.overview,
    '',
    ...table(['Fact', 'Value'], m.summary.facts.map((f) => [f.label, f.value])),
    '## Overrides',
    '',
    ...overrides(m.overrides),
    '## Timeline: deployment, destructive action, detection, containment',
    '',
    ...table(['When', 'What', 'Established by'], m.keyTimeline.map((e) => [e.at ? utc(e.at) : 'not established', e.label, e.detail])),
    '## Actions per phase',
    '',
    ...m.phases.flatMap((p) => [
      `### ${p.title}: ${p.status === 'closed' ? `closed ${utc(p.closedAt)} by ${who(p.closedBy)}` : 'open'}${p.override ? ' (CLOSED WITH OVERRIDE)' : ''}`,
      '',
      ...(p.override ? [`> **OVERRIDE:** ${p.override.justification}`, ''] : []),
      ...table(
        ['Step', 'Status', 'By', 'When', 'Notes and evidence'],
        p.steps.map((s) => [
          `${s.title} (${s.id}${s.required ? ', required' : ''})`,
          s.status === 'done' ? 'Done' : s.status === 'na' ? 'Not applicable' : 'Not done',
          who(s.by),
          utc(s.at),
          [s.answers.length ? `Decided: ${s.answers.join('; ')}` : '', s.reason ? `Reason: ${s.reason}` : '', s.note ?? '', s.evidence.length ? refs(s.evidence) : '']
            .filter(Boolean)
            .join(' · '),
        ]),
      ),
    ]),
    ...(m.escalations.length ? ['### Escalations', '', ...m.escalations.map((e) => `- ${utc(e.raisedAt)}: notify ${e.notify.join(', ')} (raised by ${e.raisedBy}). ${e.when}`), ''] : []),
    ...(m.clocks.length
      ? ['### Notification clocks', '', ...table(['Regime', 'Rule', 'Status', 'Due', 'Notified'], m.clocks.map((c) => [c.regime, c.rule, c.status, utc(c.dueAt), utc(c.notifiedAt)]))]
      : []),
    ...(m.monitoring
      ? [
          '### Monitoring after Recovery',
          '',
          `Watched from ${utc(m.monitoring.startedAt)} to ${utc(m.monitoring.endsAt)}: ${plural(m.monitoring.checks.length, 'check')} logged, ${plural(m.monitoring.checks.filter((c) => c.result === 'alert').length, 'alert')}.`,
          '',
          ...(m.monitoring.checks.length ? table(['When', 'Result', 'By', 'What was checked'], m.monitoring.checks.map((c) => [utc(c.at), c.result, c.by, c.note])) : []),
        ]
      : []),
    '## Cloud log findings',
    '',
    ...(m.cloudtrail
      ? [
          ...(m.cloudtrail.analysing ? [`> **${analysingNote(m.cloudtrail.analysing.since)}**`, ''] : []),
          `${m.cloudtrail.events} events from ${utc(m.cloudtrail.firstEventTime)} to ${utc(m.cloudtrail.lastEventTime)}; agent identities: ${m.cloudtrail.agentIdentities.join(', ') || 'none declared'}.`,
          '',
          ...table(
            ['Finding', 'Severity', 'Principal', 'ATT&CK', 'First', 'Last', 'Events'],
            m.cloudtrail.findings.map((f) => [`${f.title} (${f.id}, ${f.kind})`, f.severity, f.principalArn ?? '—', f.attack.join(', '), utc(f.firstAt), utc(f.lastAt), f.events]),
          ),
        ]
      : ['No cloud audit-log activity (CloudTrail, Azure Activity Log, GCP Cloud Audit Logs) has been collected for this incident.', '']),
    '## Database logs: what the databases recorded',
    '',
    ...databaseLog(m.databaseLog),
    ...iamMarkdown(m, table),
    ...agentTraceLines(m.agentTraces),
    '## Validation results',
    '',
    'Affected data stores (the sign-off gate needs a complete match for each):',
    '',
    ...storeGateLines(m.validation.stores).map((l) => `- ${l}`),
    '',
    ...(m.validation.runs.length
      ? table(
          ['Run', 'Kind', 'Verdict', 'About', 'Finished', 'Result'],
          m.validation.runs.map((r) => [r.id, r.kind, r.verdict ?? r.status, r.about ?? r.target ?? '—', utc(r.finishedAt), [r.summary, r.resultSha256 ? `sha256 ${r.resultSha256}` : '', r.evidenceId].filter(Boolean).join(' · ')]),
        )
      : ['No database validation has been run for this incident.', '']),
    ...scopeOfLossMarkdown(m, table),
    '## Control gaps',
    '',
    ...table(['Control', 'State', 'Gap', 'Owner', 'Due'], m.gaps.map((g) => [`${g.label} ${g.title}`, stateLabel(g.state), g.gap ?? '', g.owner ?? '', g.dueDate ?? ''])),
    '## Sign-offs',
    '',
    ...m.signOffs.missing.map((x) => `- **${x}**`),
    ...(m.signOffs.missing.length ? [''] : []),
    ...(m.signOffs.records.length ? m.signOffs.records.flatMap((s) => signature(s)) : ['Nobody has signed yet.', '']),
    '## Evidence manifest',
    '',
    `${m.evidence.items.length} items, ${bytes(m.evidence.totalBytes)}.${m.evidence.reportsNotListed ? ` ${m.evidence.reportsNotListed} reports Firebreak generated are kept as evidence too and are not listed here.` : ''}`,
    '',
    ...table(
      ['Item', 'Name', 'SHA-256', 'Size', 'Acquired', 'By', 'Status'],
      m.evidence.items.map((e) => [e.id, e.name, e.sha256, bytes(e.size), utc(e.acquiredAt), who(e.acquiredBy), evidenceStatus(e)]),
    ),
    ...(m.evidence.unreadLogs?.length
      ? [
          '### Log files that could not be read in full',
          '',
          `${plural(m.evidence.unreadLogs.length, 'log file or lookup', 'log files or lookups')} not read in full: their events are missing from the analysis, whatever their hashes say.`,
          '',
          ...table(
            ['When', 'Source', 'Item', 'File or lookup', 'Outcome', 'Why'],
            m.evidence.unreadLogs.map((u) => [utc(u.at), u.source, u.evidenceId ?? '—', u.what, u.outcome === 'failed' ? 'not read' : 'read in part', u.reason]),
          ),
          '',
        ]
      : []),
    ...(m.evidence.secrets?.length
      ? [
          '### Secrets found in evidence',
          '',
          `${plural(m.evidence.secrets.length, 'secret')} found by the intake scan, shown redacted; rotate each and keep the evidence access-controlled.`,
          '',
          ...table(['Item', 'Kind', 'Where', 'Redacted'], m.evidence.secrets.map((x) => [`${x.itemId} ${x.itemName}`, x.label, `line ${x.line}${x.occurrences > 1 ? ` (${x.occurrences} times)` : ''}`, x.redacted])),
        ]
      : []),
    ...destructiveAppendix(m.destructiveCalls),
  ];
}

/** The appendix: every destructive call by identity and operation, a table row each (a listing past DESTRUCTIVE_TABLE_MAX). */
function destructiveAppendix(d: ReportDestructiveCalls | null | undefined): string[] {
  if (!d) return [];
  const asListing = d.total - d.notListed > DESTRUCTIVE_TABLE_MAX;
  return [
    '## Appendix: All destructive calls',
    '',
    appendixIntro(d),
    '',
    ...d.identities.flatMap((i) => [
      `### ${identityHeading(i)}`,
      '',
      operationsLine(i),
      '',
      ...(i.calls.length === 0
        ? []
        : asListing
          ? ['```', LISTING_HEAD.trimEnd(), ...i.calls.map((c) => callLine(c).trimEnd()), '```', '']
          : table(
              ['Time (UTC)', 'Operation', 'Resource', 'Region', 'Status', 'Event'],
              i.calls.map((c) => [callTime(c.at), c.operation, c.resource, c.region ?? '—', c.status, shortEventId(c.eventId)]),
            )),
    ]),
  ];
}

function gap(m: GapReportModel): string[] {
  const counts = [...GAP_STATES, 'unassessed' as const]
    .filter((s) => m.counts[s])
    .map((s) => `${m.counts[s]} ${s === 'unassessed' ? 'not assessed' : stateLabel(s).toLowerCase()}`);
  return [
    '## Summary',
    '',
    `${m.controls.length} controls in the gap set: ${counts.join(', ')}.`,
    '',
    ...(m.missing.length ? ['The analysis is not complete:', '', ...m.missing.map((x) => `- ${x}`), ''] : ['Every control has a state; every gap has an owner and a due date.', '']),
    ...table(['Control', 'State', 'Owner', 'Due'], m.controls.map((c) => [`${c.label} ${c.control?.title ?? ''}`, stateLabel(c.state), c.owner ?? '', c.dueDate ?? ''])),
    '## Controls',
    '',
    ...m.controls.flatMap((c) => [
      `### ${c.label} ${c.control?.title ?? '(not in the shipped catalog)'}: ${stateLabel(c.state)}`,
      '',
      ...(c.question ? [`**Question:** ${c.question}`, ''] : []),
      `- ${c.state === 'not-applicable' ? 'Why not applicable' : 'Specific gap'}: ${c.gap ?? '—'}`,
      `- Owner: ${c.owner ?? '—'}`,
      `- Due date: ${c.dueDate ?? '—'}`,
      `- Recorded: ${c.updatedAt ? `${utc(c.updatedAt)} by ${who(c.updatedBy)}` : '—'}`,
      `- Evidence: ${refs(c.evidence)}`,
      '',
      ...(c.control
        ? [
            '**Control statement (SP 800-53 Rev. 5)**',
            '',
            ...c.control.statement.map((l) => `${'  '.repeat(l.depth)}- ${l.label} ${l.text}`),
            '',
            '**Assessment objectives (SP 800-53A Rev. 5)**',
            '',
            ...c.control.objectives.map((l) => `${'  '.repeat(l.depth)}- ${l.label} ${l.text}`),
            '',
          ]
        : []),
    ]),
    '## Sign-offs',
    '',
    ...(m.signOffs.length ? m.signOffs.flatMap((s) => signature(s)) : ['Nobody has signed yet.', '']),
  ];
}

function signoff(m: SignOffReportModel): string[] {
  return [
    '## Overrides',
    '',
    ...overrides(m.overrides),
    ...m.steps.flatMap((s) => [
      `## ${s.title} (${s.phaseId})`,
      '',
      s.complete ? 'Complete: every required role has signed.' : `**Incomplete:** ${s.signers.filter((x) => !x.signOff).map((x) => x.role).join(', ')} still to sign.`,
      '',
      '### Attestations',
      '',
      ...s.attestations.map((a, i) => `${i + 1}. ${a.text} (${a.id}). Evidence: ${refs(a.evidence)}`),
      '',
      '### Gate',
      '',
      `${s.gate.met ? 'Met.' : '**NOT MET.**'} ${gateValidationText(s.gate)}.`,
      '',
      ...s.gate.missing.map((x) => `- **${x}**`),
      ...(s.gate.missing.length ? [''] : []),
      '### Signers',
      '',
      ...table(['Role', 'Signed by', 'When', 'Key fingerprint'], s.signers.map((x) => [x.role, x.signOff?.name ?? 'not signed', utc(x.signOff?.signedAt), x.signOff?.fingerprint ?? ''])),
      ...s.signOffs.flatMap((r) => signature(r, m.verified[r.id])),
    ]),
  ];
}

/** The report as Markdown: same content as the HTML, same hash at the top and the bottom. */
export function renderMarkdown(model: ReportModel, contentSha256: string): string {
  const body = model.kind === 'incident' ? incident(model) : model.kind === 'gap' ? gap(model) : signoff(model);
  return `${[...top(model, contentSha256), ...body, ...bottom(model, contentSha256)].join('\n')}`;
}

/** The agent's decision chain, only when a trace was imported: what it said before destroying, the findings, each destructive call. */
function agentTraceLines(t: IncidentReportModel['agentTraces']): string[] {
  if (!t) return [];
  return [
    "## The agent's decision chain",
    '',
    `${t.runs} run${t.runs === 1 ? '' : 's'}, ${t.toolCalls} tool calls (${t.destructive} destructive), imported as ${t.imports.map((i) => `${i.id} (${i.evidenceIds.join(', ')})`).join(', ')}.`,
    '',
    ...(t.lastWordsBeforeDestruction ? [`What the model said before the first destructive call (${utc(t.lastWordsBeforeDestruction.time)}):`, '', ...t.lastWordsBeforeDestruction.text.split('\n').map((l) => `> ${l}`), ''] : []),
    ...t.findings.map((f) => `- **${f.severity}** ${f.title}`),
    ...(t.findings.length ? [''] : []),
    ...table(
      ['Destructive tool call', 'Started', 'Why destructive', 'Cloud events tied to it', 'Database changes tied to it'],
      t.calls.map((c) => [c.name, utc(c.start), c.because ?? '—', c.correlated.join('; ') || 'none found', c.databaseChanges?.join('; ') || 'none found']),
    ),
    ...(t.unexplained?.length ? ['', 'Destructive events no tool call explains:', '', ...t.unexplained.map((u) => `- ${u}`)] : []),
  ];
}
