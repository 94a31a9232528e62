import type { gapContract } from '../../shared/contract/gap';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../reports/handler-types';
import { assessControl, gapAnalysis, linkGapEvidence } from './analysis';

export function gapHandlers(ctx: CoreContext): HandlersOf<typeof gapContract> {
  return {
    'gap.get': ({ id }) => gapAnalysis(ctx, id),
    'gap.assess': (input) => assessControl(ctx, ctx.human(), input),
    'gap.linkEvidence': (input) => linkGapEvidence(ctx, ctx.human(), input),
  };
}
