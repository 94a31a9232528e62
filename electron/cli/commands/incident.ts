import type { Command } from 'commander';
import { type Incident, incidentStanding } from '../../shared/domain';
import type { DeclaredStore } from '../../shared/validation';
import { type CliEnv, CliExit, EXIT } from '../env';
import { isoArgument, registerTimeCommands } from './incident-times';
import { formatRun } from './workflow';

const collectParam = (value: string, previous: Record<string, string>) => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliExit(EXIT.usage, `firebreak: --param takes KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
};

const collect = (value: string, previous: string[]) => [...previous, value];

const age = (iso: string, now = Date.now()) => {
  const mins = Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
  if (mins < 60) return `${mins}m`;
  if (mins < 48 * 60) return `${Math.round(mins / 60)}h`;
  return `${Math.round(mins / 1440)}d`;
};

export function formatIncidentTable(incidents: Incident[]): string {
  if (incidents.length === 0) return 'No incidents yet. Open one with: firebreak incident new --playbook ID\n';
  const now = new Date();
  const rows = incidents.map((i) => [i.id, incidentStanding(i, now), i.severity, i.phase, age(i.createdAt), i.title]);
  const head = ['ID', 'STATUS', 'SEVERITY', 'PHASE', 'AGE', 'TITLE'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

export function registerIncidentCommands(program: Command, env: CliEnv): void {
  const incident = program.command('incident').description('open, list and show incidents');

  incident
    .command('new')
    .description('open an incident from a playbook; prints the new id alone')
    .requiredOption('--playbook <id>', 'the playbook to run')
    .option('--title <title>', 'a title (default: the playbook title and today)')
    .option('--param <key=value>', 'a playbook parameter (repeatable)', collectParam, {} as Record<string, string>)
    .option('--aware-at <time>', 'when the organisation became aware (ISO 8601, or now); without it the opening time is assumed until set-awareness')
    .action(async (o: { playbook: string; title?: string; param: Record<string, string>; awareAt?: string }) => {
      const created = await env.call('incidents.create', {
        playbookId: o.playbook,
        params: o.param,
        ...(o.title !== undefined ? { title: o.title } : {}),
        ...(o.awareAt !== undefined ? { awareAt: isoArgument(o.awareAt, '--aware-at') } : {}),
      });
      env.io.out(`${created.id}\n`);
    });

  incident
    .command('list')
    .description('list incidents, newest first')
    .option('--search <text>', 'only incidents whose id, title, playbook or parameters contain this text')
    .option('--json', 'print JSON')
    .action(async (o: { search?: string; json?: boolean }) => {
      const list = await env.call('incidents.list', o.search ? { search: o.search } : {});
      if (o.json) env.json(list);
      else env.io.out(formatIncidentTable(list));
    });

  incident
    .command('show')
    .description('show one incident: its phases, steps, gates, escalations and clocks')
    .argument('<id>', 'incident id, e.g. IR-2026-0001')
    .option('--json', 'print JSON: the incident with its phases, steps, statuses and gates')
    .action(async (id: string, o: { json?: boolean }) => {
      const i = await env.call('incidents.get', { id });
      const run = await env.call('workflow.get', { id });
      if (o.json) {
        const { incident, playbook: _pinned, ...state } = run;
        return env.json({ ...incident, ...state });
      }
      const params = Object.entries(i.params);
      env.io.out(
        [
          `${i.id}  ${i.title}`,
          `  status    ${incidentStanding(i, new Date())} (phase: ${i.phase})`,
          `  severity  ${i.severity}`,
          `  playbook  ${i.playbook.id} v${i.playbook.version} (sha256 ${i.playbook.sha256})`,
          `  opened    ${i.createdAt} by ${i.createdBy.name} (${i.createdBy.role})`,
          ...(params.length ? ['  parameters', ...params.map(([k, v]) => `    ${k} = ${v}`)] : []),
        ].join('\n') + '\n',
      );
      env.io.out(`  aware     ${run.awarenessAt}${run.awarenessAssumed ? ' (ASSUMED: the opening time; confirm it with firebreak incident set-awareness)' : ''}\n`);
      env.io.out(formatRun(run).split('\n').slice(1).join('\n'));
    });

  registerTimeCommands(program, incident, env);

  incident
    .command('stores')
    .description('the data stores declared affected by an incident; the sign-off gate needs a complete match for each')
    .argument('<id>', 'incident id, e.g. IR-2026-0001')
    .option('--add <url>', 'declare a data store affected: postgres://..., mysql://... or sqlite:PATH (repeatable; a password in it is dropped)', collect, [] as string[])
    .option('--remove <url>', 'a declared data store that is not affected after all (repeatable)', collect, [] as string[])
    .option('--json', 'print JSON: the declared stores')
    .action(async (id: string, o: { add: string[]; remove: string[]; json?: boolean }) => {
      const stores =
        o.add.length + o.remove.length ? await env.call('validation.setStores', { incidentId: id, add: o.add, remove: o.remove }) : await env.call('validation.stores', { incidentId: id });
      if (o.json) return env.json(stores);
      env.io.out(formatDeclaredStores(id, stores));
    });
}

export function formatDeclaredStores(id: string, stores: DeclaredStore[]): string {
  const lines = stores.length
    ? stores.map((s) => `  ${s.label}  (declared by ${s.addedBy.name}, ${s.addedBy.role}, ${s.addedAt})`)
    : ['  none declared'];
  return [
    `Data stores declared affected by ${id}:`,
    ...lines,
    'The sign-off gate also counts the stores the playbook parameters name and every store baselined or compared;',
    `each needs a complete match: firebreak signoff ${id} --status`,
  ].join('\n') + '\n';
}
