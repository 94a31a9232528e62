import type { PlaybookSummary } from '../domain';
import { method, noInput } from './define';

export const playbooksContract = {
  'playbooks.list': method<PlaybookSummary[]>().query(noInput),
};
