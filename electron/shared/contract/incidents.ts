import * as z from 'zod';
import type { Incident } from '../domain';
import { incidentId, method, text } from './define';

export const createIncidentInput = z
  .object({
    playbookId: text('Playbook', 120),
    title: text('Title', 200).optional(),
    params: z.record(z.string().max(100), z.string().max(4000)).default({}),
    /**
     * When the organisation became aware of the incident, as the person opening it confirms it. Left out, the opening
     * time is assumed (and shown as assumed) until someone records it.
     */
    awareAt: z
      .string()
      .refine((v) => /(?:Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T10:39:55Z')
      .optional(),
  })
  .strict();

export const incidentsContract = {
  'incidents.create': method<Incident>().mutation(() => createIncidentInput),
  'incidents.list': method<Incident[]>().query(() => z.object({ search: z.string().max(200).optional() }).strict()),
  'incidents.get': method<Incident>().query(() => z.object({ id: incidentId }).strict()),
};
