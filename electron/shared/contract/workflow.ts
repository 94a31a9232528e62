import * as z from 'zod';
import type { PhaseCloseResult } from '../checkpoints';
import type { IncidentRun, TimelineEntry } from '../workflow';
import { PHASE_IDS } from '../playbook/vocabulary';
import { incidentId, method, text } from './define';

const stepId = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'a step id looks like revoke-agent-write-access').max(120);
const isoTime = z
  .string()
  .refine((v) => /(?:Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T10:39:55Z');

export const workflowContract = {
  'workflow.get': method<IncidentRun>().query(() => z.object({ id: incidentId }).strict()),
  'workflow.setParams': method<IncidentRun>().mutation(
    () => z.object({ id: incidentId, params: z.record(z.string().max(100), z.string().max(4000)) }).strict(),
  ),
  'workflow.setStep': method<IncidentRun>().mutation(
    () => z
      .object({
        id: incidentId,
        stepId,
        status: z.enum(['todo', 'done', 'na']),
        reason: text('Reason', 2000).optional(),
        note: z.string().max(20000).optional(),
      })
      .strict()
      .refine((v) => v.status !== 'na' || Boolean(v.reason), { message: 'say why the step does not apply', path: ['reason'] }),
  ),
  'workflow.setNote': method<IncidentRun>().mutation(
    () => z.object({ id: incidentId, stepId, note: z.string().max(20000) }).strict(),
  ),
  'workflow.decide': method<IncidentRun>().mutation(
    () => z.object({ id: incidentId, stepId, answers: z.array(stepId).min(1, 'choose an answer').max(20) }).strict(),
  ),
  'workflow.closePhase': method<PhaseCloseResult>().mutation(
    () => z.object({ id: incidentId, phaseId: z.enum(PHASE_IDS), override: text('Override justification', 4000).optional() }).strict(),
  ),
  'workflow.reopenPhase': method<IncidentRun>().mutation(
    () => z.object({ id: incidentId, phaseId: z.enum(PHASE_IDS), reason: text('Reason', 4000) }).strict(),
  ),
  'workflow.setTime': method<IncidentRun>().mutation(
    () => z.object({ id: incidentId, kind: z.enum(['awareness', 'materiality']), at: isoTime, note: z.string().max(4000).optional() }).strict(),
  ),
  'workflow.recordNotification': method<IncidentRun>().mutation(
    () => z.object({ id: incidentId, regime: text('Regime', 200), at: isoTime, note: z.string().max(4000).optional() }).strict(),
  ),
  'workflow.logMonitoringCheck': method<IncidentRun>().mutation(
    () => z.object({ id: incidentId, result: z.enum(['clear', 'alert']), note: text('Note', 4000) }).strict(),
  ),
  'workflow.timeline': method<TimelineEntry[]>().query(() => z.object({ id: incidentId }).strict()),
};
