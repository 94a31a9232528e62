import * as z from 'zod';
import type { Operator, SessionInfo } from '../domain';
import { method, noInput, text } from './define';

export const operatorInput = z.object({ name: text('Name', 120), role: text('Role', 60) }).strict();

export const sessionContract = {
  'session.get': method<SessionInfo>().query(() => noInput),
  'session.setOperator': method<Operator>().mutation(() => operatorInput),
};
