/** Shared by the playbook tests: the shipped catalog, the shipped playbooks and the official CACAO schemas. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { loadControlCatalog } from '../../../electron/core/playbooks/catalog';
import { lintPlaybookText } from '../../../electron/shared/playbook/lint';
import type { Playbook } from '../../../electron/shared/playbook/schema';
import { repoRoot } from '../../helpers/core';

export { repoRoot };
export const catalog = loadControlCatalog(repoRoot);
export const SHIPPED = ['agent-destructive-action', 'agent-credential-exposure', 'agent-change-freeze-breach'] as const;
export const fixture = (...parts: string[]) => join(repoRoot, 'test', 'fixtures', 'playbooks', ...parts);

export const shippedText = (id: string): string => readFileSync(join(repoRoot, 'playbooks', `${id}.yaml`), 'utf8');

export function shipped(id: string): Playbook {
  const { playbook, problems } = lintPlaybookText(shippedText(id), { catalog });
  if (!playbook) throw new Error(`${id} does not lint: ${JSON.stringify(problems)}`);
  return playbook;
}

/** The official CACAO v2.0 schemas, resolved by their $id as the published files reference each other. */
const CACAO_DIR = resolve(repoRoot, '..', 'shared', 'reference', 'cacao-v2.0', 'schemas');
const CACAO_PLAYBOOK_ID = 'https://raw.githubusercontent.com/oasis-open/cacao-json-schemas/main/schemas/playbook.json';
const schemaFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? schemaFiles(join(dir, n)) : n.endsWith('.json') ? [join(dir, n)] : []));

function withCacaoSchemas<T extends Ajv>(ajv: T): T {
  addFormats(ajv);
  for (const file of schemaFiles(CACAO_DIR)) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')) as object);
  return ajv;
}

/**
 * The schemas declare draft-07, where `unevaluatedProperties` is not a keyword; strict mode is off so Ajv accepts the
 * files as published. validateCacao2019 applies them with 2019-09 semantics as well (see the CACAO test for why).
 */
const draft07 = withCacaoSchemas(new Ajv({ strict: false, allErrors: true }));
const require = createRequire(import.meta.url);
const ajv2019 = new Ajv2019({ strict: false, allErrors: true });
ajv2019.addMetaSchema(require('ajv/dist/refs/json-schema-draft-07.json') as object);
withCacaoSchemas(ajv2019);

const validator = (ajv: Ajv) => {
  const validate = ajv.getSchema(CACAO_PLAYBOOK_ID);
  if (!validate) throw new Error('the CACAO playbook schema did not load');
  return (doc: unknown): ErrorObject[] => (validate(doc) ? [] : [...(validate.errors ?? [])]);
};
export const validateCacao = validator(draft07);
export const validateCacao2019 = validator(ajv2019);
