import type { CoreContext } from '../context';

export function cloudtrailHandlers(_ctx: CoreContext) {
  return {};
}
