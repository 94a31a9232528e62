import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';

export function playbookHandlers(ctx: CoreContext): Pick<ApiHandlers, 'playbooks.list'> {
  return { 'playbooks.list': () => ctx.playbooks.list() };
}
