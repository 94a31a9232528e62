import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { SYSTEM_SCOPE } from './ledger';

export function auditHandlers(ctx: CoreContext): Pick<ApiHandlers, 'audit.entries' | 'audit.verify'> {
  const exists = (scope: string) => {
    if (scope === SYSTEM_SCOPE) return;
    if (!ctx.db.prepare('SELECT 1 FROM incidents WHERE id = ?').get(scope)) throw notFound(`There is no incident ${scope} in ${ctx.dataDir}.`);
  };
  return {
    'audit.entries': ({ scope }) => {
      exists(scope);
      return ctx.ledger.entries(scope);
    },
    'audit.verify': ({ scope }) => {
      exists(scope);
      return ctx.ledger.verify(scope);
    },
  };
}
