import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirebreakError } from '../../../electron/core/errors';
import { custodyOf } from '../../../electron/core/evidence/custody';
import { intakeBytes, intakeFile } from '../../../electron/core/evidence/intake';
import { addNote, getItem, linkStep, listItems, resolveItem } from '../../../electron/core/evidence/items';
import { stepIdsOf } from '../../../electron/core/evidence/links';
import { csvCell, exportManifest, sha256sumLine } from '../../../electron/core/evidence/manifest';
import { rawArguments } from '../../../electron/cli/raw-arguments';
import { baseNameOf, keepName } from '../../../electron/core/evidence/names';
import { ACTOR, type Fixture, TEST_PLAYBOOK, makeFixture } from './fixtures';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
});
afterEach(() => f.cleanup());

const add = (name: string, text: string) => intakeBytes(f.ctx, ACTOR, text, { incidentId: f.incidentId, name, sourceKind: 'file' });

const thrown = (fn: () => unknown): FirebreakError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FirebreakError);
    return e as FirebreakError;
  }
  throw new Error('expected an error');
};

describe('items, notes and links', () => {
  it('finds an item by id, number or hash prefix, within its incident only', async () => {
    const item = await add('a.txt', 'alpha');
    expect(resolveItem(f.ctx, f.incidentId, item.id).id).toBe(item.id);
    expect(resolveItem(f.ctx, f.incidentId, '1').id).toBe(item.id);
    expect(resolveItem(f.ctx, f.incidentId, item.sha256.slice(0, 10).toUpperCase()).id).toBe(item.id);
    expect(thrown(() => resolveItem(f.ctx, f.incidentId, 'EV-000002')).code).toBe('not-found');
    expect(thrown(() => resolveItem(f.ctx, 'IR-2026-0404', item.id)).message).toContain('no incident');
  });

  it('records notes and step links as custody events, and lists items with their custody', async () => {
    const item = await add('a.txt', 'alpha');
    const note = addNote(f.ctx, ACTOR, f.incidentId, item.id, 'Handed to Legal on a sealed USB drive.');
    expect(note).toMatchObject({ kind: 'note', action: 'evidence.noted', summary: 'note: Handed to Legal on a sealed USB drive.' });
    expect(linkStep(f.ctx, ACTOR, f.incidentId, item.id, 'revoke-keys').linkedSteps).toEqual(['revoke-keys']);
    // Linking again changes nothing and records nothing.
    linkStep(f.ctx, ACTOR, f.incidentId, item.id, 'revoke-keys');
    expect(linkStep(f.ctx, ACTOR, f.incidentId, item.id, 'revoke-keys', true).linkedSteps).toEqual([]);
    expect(custodyOf(f.ctx, item.id).map((e) => e.summary)).toEqual([
      expect.stringMatching(/^acquired "a.txt"/),
      'note: Handed to Legal on a sealed USB drive.',
      'linked to step revoke-keys',
      'unlinked from step revoke-keys',
    ]);
    expect(thrown(() => linkStep(f.ctx, ACTOR, f.incidentId, item.id, 'not-a-step')).code).toBe('bad-input');
    const [listed] = listItems(f.ctx, f.incidentId, true);
    expect(listed?.custody).toHaveLength(4);
    expect(getItem(f.ctx, f.incidentId, item.id).custody).toEqual(listed?.custody);
    expect(f.ctx.ledger.verify(f.incidentId).ok).toBe(true);
  });

  it('reads step ids from the pinned playbook', () => {
    expect([...stepIdsOf(TEST_PLAYBOOK)]).toEqual(['isolate-agent', 'revoke-keys']);
    expect(stepIdsOf('not: [valid').size).toBe(0);
  });
});

describe('manifests', () => {
  it('exports JSON, CSV and SHA256SUMS and records each export in every listed item\'s custody', async () => {
    const a = await add('a.txt', 'alpha');
    const b = await add('=cmd|calc.csv', 'bravo');
    const json = exportManifest(f.ctx, ACTOR, f.incidentId, 'json');
    const doc = JSON.parse(json.content) as { items: Array<{ id: string; sha256: string }>; incident: { id: string } };
    expect(doc.incident.id).toBe(f.incidentId);
    expect(doc.items.map((i) => [i.id, i.sha256])).toEqual([
      [a.id, a.sha256],
      [b.id, b.sha256],
    ]);
    expect(json).toMatchObject({ format: 'json', encoding: 'utf8', items: 2, fileName: `${f.incidentId}-evidence-manifest.json` });

    const csv = exportManifest(f.ctx, ACTOR, f.incidentId, 'csv').content.split('\r\n');
    expect(csv[0]).toMatch(/^id,name,sha256,/);
    expect(csv[2]).toContain(`${b.id},'=cmd|calc.csv,${b.sha256}`);

    const sums = exportManifest(f.ctx, ACTOR, f.incidentId, 'sha256sums');
    expect(sums.content).toBe(`${a.sha256}  a.txt\n${b.sha256}  =cmd|calc.csv\n`);
    const exports = custodyOf(f.ctx, a.id).filter((e) => e.kind === 'export');
    expect(exports.map((e) => e.details.format)).toEqual(['json', 'csv', 'sha256sums']);
    expect(exports[2]?.details.manifestSha256).toBe(sums.sha256);
  });

  it('keeps a name that is not UTF-8 exactly, by giving the manifest as base64', async () => {
    const raw = Buffer.from('r\xe9sum\xe9.txt', 'latin1');
    const path = Buffer.concat([Buffer.from(`${f.root}/`), raw]);
    writeFileSync(path, 'x');
    const item = await intakeFile(f.ctx, ACTOR, path, { incidentId: f.incidentId, sourceKind: 'file' });
    const m = exportManifest(f.ctx, ACTOR, f.incidentId, 'sha256sums');
    expect(m.encoding).toBe('base64');
    expect(Buffer.from(m.content, 'base64')).toEqual(Buffer.concat([Buffer.from(`${item.sha256}  `), raw, Buffer.from('\n')]));
  });

  it('escapes names the way sha256sum does', () => {
    const h = 'f'.repeat(64);
    expect(sha256sumLine(h, Buffer.from('plain.txt')).toString()).toBe(`${h}  plain.txt\n`);
    expect(sha256sumLine(h, Buffer.from('a\nb\\c\rd')).toString()).toBe(`\\${h}  a\\nb\\\\c\\rd\n`);
  });

  it('quotes CSV cells and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(null)).toBe('');
  });
});

describe('names in any encoding', () => {
  it('keeps UTF-8 as text and other bytes beside it', () => {
    expect(keepName(Buffer.from('naïve.txt'))).toEqual({ text: 'naïve.txt' });
    const raw = Buffer.from([0x66, 0xe9, 0x2e, 0x74]);
    expect(keepName(raw)).toEqual({ text: 'f\uFFFD.t', bytes: raw });
    expect(baseNameOf(Buffer.concat([Buffer.from('/x/y/'), raw]))).toEqual({ text: 'f\uFFFD.t', bytes: raw });
    expect(baseNameOf('/x/y/z.txt')).toEqual({ text: 'z.txt' });
  });

  it('recovers argument bytes that UTF-8 decoding replaced, from the command line', () => {
    const cmdline = join(f.root, 'cmdline');
    const raw = Buffer.from('caf\xe9.txt', 'latin1');
    writeFileSync(cmdline, Buffer.concat([Buffer.from('node\0bin/firebreak.js\0evidence\0add\0'), raw, Buffer.from('\0')]));
    const args = ['evidence', 'add', raw.toString('utf8')];
    expect(rawArguments(args, cmdline)).toEqual(['evidence', 'add', raw]);
    expect(rawArguments(['plain'], cmdline)).toEqual(['plain']);
    expect(rawArguments(args, join(f.root, 'no-such-file'))).toEqual(args);
  });
});
