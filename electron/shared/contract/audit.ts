import { z } from 'zod';
import type { LedgerEntry, LedgerVerification } from '../domain';
import { method, scope } from './define';

export const auditContract = {
  'audit.entries': method<LedgerEntry[]>().query(z.object({ scope }).strict()),
  'audit.verify': method<LedgerVerification>().query(z.object({ scope }).strict()),
};
