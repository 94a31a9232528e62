import { type ApiMethod, contract } from '../../../electron/shared/contract/index';

/** Whether a method changes the case record, as the contract declares it: the renderer keeps no list of its own. */
export const isMutation = (method: ApiMethod): boolean => contract[method].kind === 'mutation';
