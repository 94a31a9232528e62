import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { SYSTEM_SCOPE } from '../ledger/ledger';

export function sessionHandlers(ctx: CoreContext): Pick<ApiHandlers, 'session.get' | 'session.setOperator'> {
  return {
    'session.get': () => ({ operator: ctx.operator(), dataDir: ctx.dataDir, version: ctx.version, mode: ctx.mode }),
    'session.setOperator': (op) => {
      const previous = ctx.operator();
      return ctx.change(
        { ...op, initiator: 'human' },
        { scope: SYSTEM_SCOPE, action: 'operator.started', subject: op.name, payload: { role: op.role, previous } },
        () => {
          ctx.setOperator(op);
          return op;
        },
      );
    },
  };
}
