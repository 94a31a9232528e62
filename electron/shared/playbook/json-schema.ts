/** The playbook format as JSON Schema, emitted from the zod schema; committed as playbooks/playbook.schema.json for editors. */
import * as z from 'zod';
import { playbookSchema } from './schema';

export function playbookJsonSchema(): Record<string, unknown> {
  const emitted = z.toJSONSchema(playbookSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  const { $schema, ...rest } = emitted;
  return {
    $schema,
    title: 'Firebreak playbook',
    description:
      'An incident-response playbook run by Firebreak. Generated from electron/shared/playbook/schema.ts by `firebreak playbook schema`; do not edit by hand. Cross-references are checked by `firebreak lint`.',
    ...rest,
  };
}

/** The file as committed: two-space JSON with a final new line. */
export const playbookJsonSchemaText = (): string => `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`;

let fieldNames: Set<string> | undefined;

/** Every field name the format knows, for "did you mean" suggestions on unknown fields. */
export function playbookFieldNames(): ReadonlySet<string> {
  if (fieldNames) return fieldNames;
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const properties = record.properties;
    if (properties && typeof properties === 'object') Object.keys(properties).forEach((k) => names.add(k));
    Object.values(record).forEach(walk);
  };
  walk(z.toJSONSchema(playbookSchema, { io: 'input' }));
  fieldNames = names;
  return names;
}
