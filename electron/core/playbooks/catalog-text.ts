import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogLine, ControlText } from '../../shared/gap';
import { controlLabel } from '../../shared/playbook/ids';
import { FirebreakError } from '../errors';
import { CATALOG_FILE } from './catalog';

/**
 * The words of each control as the shipped OSCAL catalog states them: statement and SP 800-53A assessment objectives,
 * with organisation-defined parameters printed the way NIST prints them. The playbook loader only needs titles; the
 * gap analysis shows the full text, so it reads the catalog itself (once per path).
 */

interface Prop {
  name?: string;
  value?: string;
  class?: string;
}
interface Part {
  id?: string;
  name?: string;
  prose?: string;
  props?: Prop[];
  parts?: Part[];
}
interface Param {
  id?: string;
  label?: string;
  props?: Prop[];
  select?: { 'how-many'?: string; choice?: string[] };
}
interface Control {
  id?: string;
  title?: string;
  props?: Prop[];
  params?: Param[];
  parts?: Part[];
  controls?: Control[];
}
interface Group {
  title?: string;
  controls?: Control[];
  groups?: Group[];
}

const cache = new Map<string, ReadonlyMap<string, ControlText>>();
const INSERT = /\{\{\s*insert:\s*param,\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

function paramText(params: ReadonlyMap<string, Param>, id: string, depth: number): string {
  const p = params.get(id);
  if (!p || depth > 5) return `[Assignment: organization-defined ${id}]`;
  if (p.select?.choice?.length) {
    const how = p.select['how-many'] === 'one-or-more' ? 'Selection (one or more)' : 'Selection';
    const choices = p.select.choice.map((c) => fill(params, c, depth + 1).trim());
    return `[${how}: ${choices.join('; ')}]`;
  }
  return `[Assignment: organization-defined ${p.label ?? id}]`;
}

const fill = (params: ReadonlyMap<string, Param>, prose: string, depth = 0): string =>
  prose.replace(INSERT, (_m, id: string) => paramText(params, id, depth)).replace(/\s+/g, ' ').trim();

/** The label NIST shows: the plain one for statements ("a."), the SP 800-53A one for objectives ("AC-02a.[01]"). */
const labelOf = (p: Part): string => {
  const labels = (p.props ?? []).filter((x) => x.name === 'label' && typeof x.value === 'string');
  return (labels.find((x) => x.class === 'sp800-53a') ?? labels[0])?.value ?? '';
};

function flatten(parts: Part[] | undefined, params: ReadonlyMap<string, Param>, depth: number, out: CatalogLine[]): CatalogLine[] {
  for (const p of parts ?? []) {
    if (p.prose !== undefined || p.parts?.length) {
      const text = p.prose ? fill(params, p.prose) : '';
      if (text || labelOf(p)) out.push({ label: labelOf(p), text, depth });
    }
    flatten(p.parts, params, depth + 1, out);
  }
  return out;
}

function controlText(c: Control, family: string, inherited: ReadonlyMap<string, Param>): ControlText {
  const params = new Map(inherited);
  for (const p of c.params ?? []) {
    if (!p.id) continue;
    params.set(p.id, p);
    // Prose written for SP 800-53 cites parameters by their alternative id (ac-2_prm_1).
    for (const alt of (p.props ?? []).filter((x) => x.name === 'alt-identifier' && x.value)) params.set(alt.value as string, p);
  }
  const id = c.id as string;
  const statement = (c.parts ?? []).find((p) => p.name === 'statement');
  const objective = (c.parts ?? []).find((p) => p.name === 'assessment-objective');
  const labels = (c.props ?? []).filter((p) => p.name === 'label' && !p.class).map((p) => p.value ?? '');
  return {
    id,
    label: labels[0] || controlLabel(id),
    title: c.title ?? id,
    family,
    statement: statement ? flatten(statement.prose ? [statement] : statement.parts, params, 0, []) : [],
    objectives: objective ? flatten(objective.prose ? [objective] : objective.parts, params, 0, []) : [],
  };
}

/** Every control and enhancement of the shipped catalog, by catalog id (`ac-2`, `cm-3.1`). */
export function loadControlTexts(resourcesDir: string): ReadonlyMap<string, ControlText> {
  const path = join(resourcesDir, CATALOG_FILE);
  const hit = cache.get(path);
  if (hit) return hit;
  let doc: { catalog?: { groups?: Group[] } };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as typeof doc;
  } catch (e) {
    throw new FirebreakError('unavailable', `The SP 800-53 catalog at ${path} cannot be read (${(e as Error).message}); reinstall Firebreak.`);
  }
  const out = new Map<string, ControlText>();
  const addControls = (controls: Control[] | undefined, family: string, params: ReadonlyMap<string, Param>) => {
    for (const c of controls ?? []) {
      if (typeof c.id !== 'string') continue;
      const text = controlText(c, family, params);
      out.set(c.id, text);
      // Enhancements may cite their base control's parameters.
      const own = new Map(params);
      for (const p of c.params ?? []) if (p.id) own.set(p.id, p);
      addControls(c.controls, family, own);
    }
  };
  const walk = (groups: Group[] | undefined) => {
    for (const g of groups ?? []) {
      addControls(g.controls, g.title ?? '', new Map());
      walk(g.groups);
    }
  };
  walk(doc.catalog?.groups);
  if (out.size === 0) throw new FirebreakError('unavailable', `The SP 800-53 catalog at ${path} lists no controls; reinstall Firebreak.`);
  cache.set(path, out);
  return out;
}
