import * as z from 'zod';
import type { TimelineSlice } from '../timeline';
import { timelineFilter } from './cloudtrail';
import { incidentId, method } from './define';

const source = z.enum(['cloud', 'database', 'agent']);

export const incidentTimelineFilter = timelineFilter
  .extend({ sources: z.array(source).max(3).optional(), destructiveOnly: z.boolean().optional() })
  .strict();

const cursor = z.object({ t: z.number().int(), s: z.number().int().min(0).max(2), r: z.number().int() }).strict();

/**
 * The incident's one timeline: cloud calls, database statements and the agent's tool calls in time order, paged by key
 * (never by offset), so a page costs the same at the millionth entry as at the first.
 */
export const timelineContract = {
  /** One page after `after` (the first page without it, with the count of what the filter matches). */
  'timeline.page': method<TimelineSlice>().query(
    () => z
      .object({
        incidentId,
        filter: incidentTimelineFilter.default({}),
        after: cursor.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
} as const;
