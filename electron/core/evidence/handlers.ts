import type { CoreContext } from '../context';

export function evidenceHandlers(_ctx: CoreContext) {
  return {};
}
