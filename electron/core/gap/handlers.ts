import type { gapContract } from '../../shared/contract/gap';
import { gapAnalysis } from '../case/gap-analysis';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../kernel/handler-types';
import { assessControl, linkGapEvidence } from './assess';

export function gapHandlers(ctx: CoreContext): HandlersOf<typeof gapContract> {
  return {
    'gap.get': ({ id }) => gapAnalysis(ctx, id),
    'gap.assess': (input) => assessControl(ctx, ctx.human(), input),
    'gap.linkEvidence': (input) => linkGapEvidence(ctx, ctx.human(), input),
  };
}
