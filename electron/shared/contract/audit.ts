import * as z from 'zod';
import type { AuditVerification } from '../checkpoints';
import type { LedgerEntry } from '../domain';
import { method, scope } from './define';

export const auditContract = {
  'audit.entries': method<LedgerEntry[]>().query(() => z.object({ scope }).strict()),
  /** The chain of a scope and, for an incident, every checkpoint made of it (signature, pinned head, time-stamp). */
  'audit.verify': method<AuditVerification>().query(() => z.object({ scope }).strict()),
};
