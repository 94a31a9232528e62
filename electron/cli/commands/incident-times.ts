import type { Command } from 'commander';
import { plural } from '../../shared/plural';
import { type CliEnv, CliExit, EXIT } from '../env';

/** A time as typed on the command line, as the ISO 8601 the contract takes; "now" is the moment of the command. */
export function isoArgument(value: string, what: string): string {
  if (value === 'now') return new Date().toISOString();
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new CliExit(EXIT.usage, `firebreak: ${what} "${value}" is not an ISO 8601 date-time with a time zone, e.g. 2026-05-01T10:39:55Z (or: now)`);
  }
  return value;
}

/** The times every regulatory clock counts from, the notifications that stop them, and the 30-day watch's checks. */
export function registerTimeCommands(program: Command, incident: Command, env: CliEnv): void {
  incident
    .command('set-awareness')
    .description('record when the organisation became aware of the incident (confirms the time assumed at opening); every clock counts from it')
    .argument('<incident>', 'incident id')
    .argument('<time>', 'ISO 8601 with a time zone, e.g. 2026-05-01T10:39:55Z, or now')
    .option('--note <text>', 'how the time was established')
    .action(async (id: string, time: string, o: { note?: string }) => {
      const r = await env.call('workflow.setTime', { id, kind: 'awareness', at: isoArgument(time, 'the awareness time'), ...(o.note ? { note: o.note } : {}) });
      env.io.out(`${id}: awareness recorded at ${r.awarenessAt}\n`);
    });

  incident
    .command('set-materiality')
    .description('record when the incident was determined material (starts the SEC clock)')
    .argument('<incident>', 'incident id')
    .argument('<time>', 'ISO 8601 with a time zone, or now')
    .action(async (id: string, time: string) => {
      const r = await env.call('workflow.setTime', { id, kind: 'materiality', at: isoArgument(time, 'the materiality time') });
      env.io.out(`${id}: materiality determined at ${r.materialityAt ?? time}\n`);
    });

  const clock = program.command('clock').description('regulatory notification clocks');
  clock
    .command('notify')
    .description('record that a regulator or the people affected were notified, which stops that clock')
    .argument('<incident>', 'incident id')
    .argument('<regime>', 'the clock, as incident show lists it (e.g. GDPR)')
    .option('--at <time>', 'when the notification was made (default: now)')
    .option('--ref <text>', 'the notification reference (case number, letter, ticket)')
    .action(async (id: string, regime: string, o: { at?: string; ref?: string }) => {
      const at = o.at === undefined ? new Date().toISOString() : isoArgument(o.at, '--at');
      const r = await env.call('workflow.recordNotification', { id, regime, at, ...(o.ref ? { note: o.ref } : {}) });
      const c = r.clocks.find((x) => x.regime === regime);
      const late = c?.dueAt && c.notifiedAt && Date.parse(c.notifiedAt) > Date.parse(c.dueAt) ? ` (LATE: it was due ${c.dueAt})` : '';
      env.io.out(`${id}: ${regime} notification recorded at ${c?.notifiedAt ?? at}${late}\n`);
    });

  const monitoring = program.command('monitoring').description('the 30-day watch after Recovery');
  monitoring
    .command('check')
    .description("log one check of the watch: --clear or --alert with a note (an alert reopens Containment), or --logs to judge CloudTrail exports")
    .argument('<incident>', 'incident id')
    .option('--clear', 'nothing destructive by the agent identities was found')
    .option('--alert', 'something was found: Containment reopens')
    .option('--note <text>', 'what was checked and what was found')
    .option('--logs <path...>', 'CloudTrail exports to import; any destructive call by an agent identity since the watch started is an alert')
    .action(async (id: string, o: { clear?: boolean; alert?: boolean; note?: string; logs?: string[] }) => {
      const verdicts = [o.clear, o.alert, o.logs?.length].filter(Boolean).length;
      if (verdicts !== 1) throw new CliExit(EXIT.usage, 'firebreak: give one of --clear, --alert or --logs PATH...');
      if (o.logs?.length) return checkFromLogs(env, id, o.logs, o.note);
      if (!o.note) throw new CliExit(EXIT.usage, 'firebreak: --note TEXT says what was checked and found');
      const r = await env.call('workflow.logMonitoringCheck', { id, result: o.alert ? 'alert' : 'clear', note: o.note });
      env.io.out(monitoringLine(id, r.monitoring, o.alert ? 'alert logged; Containment is reopened' : 'clear check logged'));
    });
}

function monitoringLine(id: string, m: { endsAt: string; checks: unknown[]; alerts: number } | null, what: string): string {
  return `${id}: ${what}${m ? ` (monitoring until ${m.endsAt.slice(0, 10)}: ${plural(m.checks.length, 'check')} logged, ${plural(m.alerts, 'alert')})` : ''}\n`;
}

/** Imports the exports into the incident, then logs the check: an alert names the agents' destructive calls inside the watch. */
async function checkFromLogs(env: CliEnv, id: string, paths: string[], note: string | undefined): Promise<void> {
  const before = await env.call('workflow.get', { id });
  if (!before.monitoring) throw new CliExit(EXIT.usage, `firebreak: the watch of ${id} starts when Recovery closes`);
  await env.call('cloudtrail.import', { incidentId: id, paths });
  // The same test as the daily pulled check: high-risk calls by agent identities inside the watch.
  const page = await env.call('cloudtrail.events', { incidentId: id, filter: { agentOnly: true, highRiskOnly: true, from: before.monitoring.startedAt }, limit: 5 });
  const alert = page.total > 0;
  const what = alert
    ? `${plural(page.total, 'high-risk call')} by agent identities since ${before.monitoring.startedAt}: ${page.events
        .map((e) => `${e.eventName} at ${e.eventTime}`)
        .join(', ')}${page.total > page.events.length ? ', ...' : ''}`
    : `no high-risk calls by agent identities in ${plural(paths.length, 'export')} since ${before.monitoring.startedAt}`;
  const r = await env.call('workflow.logMonitoringCheck', { id, result: alert ? 'alert' : 'clear', note: note ? `${note} (${what})` : what });
  env.io.out(monitoringLine(id, r.monitoring, alert ? `ALERT: ${what}; Containment is reopened` : `clear: ${what}`));
  if (alert) throw new CliExit(EXIT.problem, '');
}
