import type { ApiHandlers, ApiParsedInput } from '../../shared/contract/index';
import type { Incident } from '../../shared/domain';
import { parsePlaybook } from '../../shared/playbook/lint';
import type { CoreContext } from '../context';
import { badInput, notFound } from '../errors';
import { checkParams } from '../kernel/params';
import { IncidentRepository } from './repository';

type IncidentHandlers = Pick<ApiHandlers, 'incidents.create' | 'incidents.list' | 'incidents.get'>;

/** Opens an incident from a playbook, pinning its exact content; the one way incidents come to exist. */
export function openIncident(ctx: CoreContext, input: ApiParsedInput<'incidents.create'>, options: { sample?: boolean } = {}): Incident {
  const { playbookId, title, params } = input;
  const actor = ctx.human();
  const playbook = ctx.playbooks.get(playbookId);
  if (!playbook) {
    const known = ctx.playbooks.list().map((p) => p.id);
    throw badInput(`There is no playbook "${playbookId}".`, [`Known playbooks: ${known.join(', ') || 'none'}`]);
  }
  let parsed;
  try {
    parsed = parsePlaybook(playbook.content);
  } catch (e) {
    throw badInput(`The playbook "${playbookId}" is not valid, so it cannot be run: ${(e as Error).message}. Run firebreak lint.`);
  }
  const problems = checkParams(parsed, params);
  if (problems.length) throw badInput('Some parameters are not valid.', problems);
  const at = ctx.now();
  const awareAt = input.awareAt === undefined ? null : new Date(input.awareAt).toISOString();
  if (awareAt && Date.parse(awareAt) > at.getTime() + 60_000) throw badInput(`The awareness time ${awareAt} is in the future.`);
  const repo = new IncidentRepository(ctx.db);
  return ctx.change(
    actor,
    (incident) => [
      {
        scope: incident.id,
        action: 'incident.opened',
        subject: incident.id,
        payload: {
          title: incident.title,
          playbook: incident.playbook,
          params: incident.params,
          severity: incident.severity,
          ...(incident.sample ? { sample: true } : {}),
        },
      },
      // The same entry a later correction writes, so the timeline and reports read one kind of record.
      ...(awareAt ? [{ scope: incident.id, action: 'awareness.recorded', subject: incident.id, payload: { at: awareAt, previous: null } }] : []),
    ],
    () => {
      const incident = repo.insert({
        title: title ?? `${playbook.summary.title} (${at.toISOString().slice(0, 10)})`,
        severity: playbook.summary.severity,
        playbook: { ...playbook.summary, sha256: playbook.sha256, content: playbook.content },
        params,
        phase: parsed.phases[0]?.id ?? 'containment',
        createdAt: at,
        createdBy: { name: actor.name, role: actor.role },
        sample: options.sample ?? false,
      });
      if (awareAt) repo.recordAwareness(incident.id, awareAt, { name: actor.name, role: actor.role }, at.toISOString());
      return incident;
    },
  );
}

export function incidentHandlers(ctx: CoreContext): IncidentHandlers {
  const repo = new IncidentRepository(ctx.db);
  return {
    'incidents.create': (input) => openIncident(ctx, input),
    'incidents.list': ({ search }) => repo.list(search),
    'incidents.get': ({ id }) => {
      const incident = repo.get(id);
      if (!incident) throw notFound(`There is no incident ${id} in ${ctx.dataDir}.`);
      return incident;
    },
  };
}
