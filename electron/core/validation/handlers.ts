import type { CoreContext } from '../context';

export function validationHandlers(_ctx: CoreContext) {
  return {};
}
