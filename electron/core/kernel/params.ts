import { checkParameterValue, redactParameterValue } from '../../shared/playbook/parameter-values';
import type { Playbook } from '../../shared/playbook/schema';

/** Problems with an incident's parameter values against the playbook's declarations, one line each. */
export function checkParams(playbook: Playbook, params: Readonly<Record<string, string>>): string[] {
  const declared = new Map(playbook.parameters.map((p) => [p.name, p]));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    const p = declared.get(name);
    if (!p) {
      problems.push(`${name}: the playbook declares no such parameter (declared: ${[...declared.keys()].join(', ')})`);
      continue;
    }
    if (value.trim() === '') continue;
    const why = checkParameterValue(p.type, value);
    if (why) problems.push(`${name}: "${redactParameterValue(value)}" ${why}`);
  }
  return problems;
}

/** Required parameters with no value yet. */
export const missingParams = (playbook: Playbook, params: Readonly<Record<string, string>>): string[] =>
  playbook.parameters.filter((p) => p.required && !(params[p.name] ?? '').trim()).map((p) => p.name);
