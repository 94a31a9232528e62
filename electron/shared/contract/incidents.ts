import { z } from 'zod';
import type { Incident } from '../domain';
import { incidentId, method, text } from './define';

export const createIncidentInput = z
  .object({
    playbookId: text('Playbook', 120),
    title: text('Title', 200).optional(),
    params: z.record(z.string().max(100), z.string().max(4000)).default({}),
  })
  .strict();

export const incidentsContract = {
  'incidents.create': method<Incident>().mutation(createIncidentInput),
  'incidents.list': method<Incident[]>().query(z.object({ search: z.string().max(200).optional() }).strict()),
  'incidents.get': method<Incident>().query(z.object({ id: incidentId }).strict()),
};
