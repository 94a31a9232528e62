import { describe, expect, it } from 'vitest';
import { parseOscalCatalog } from '../../../electron/shared/playbook/catalog';
import { cvss31BaseScore } from '../../../electron/shared/playbook/cvss';
import { controlLabel, normaliseControlId, slugify } from '../../../electron/shared/playbook/ids';
import { checkParameterValue } from '../../../electron/shared/playbook/parameter-values';
import { catalog } from './support';

describe('SP 800-53 control ids', () => {
  it.each([
    ['AC-2', 'ac-2'],
    ['ac-2', 'ac-2'],
    ['AC-02', 'ac-2'],
    ['AC-2(1)', 'ac-2.1'],
    ['AC-02(01)', 'ac-2.1'],
    ['AC-2 (1)', 'ac-2.1'],
    ['ac-2.1', 'ac-2.1'],
    ['SI-12', 'si-12'],
  ])('%s is the catalog id %s', (raw, id) => {
    expect(normaliseControlId(raw)).toBe(id);
  });

  it.each(['AC2', 'AC-', 'A-2', 'AC-2(1', 'AC-123'])('%s is not a control id', (raw) => {
    expect(normaliseControlId(raw)).toBeUndefined();
  });

  it('prints ids the way NIST does', () => {
    expect(controlLabel('ac-2.1')).toBe('AC-2(1)');
    expect(controlLabel('cm-3')).toBe('CM-3');
  });
});

describe('the shipped NIST catalog', () => {
  it('holds the 25 controls and their enhancements, with titles and labels', () => {
    const base = [...catalog.keys()].filter((id) => !id.includes('.'));
    expect(base).toHaveLength(25);
    expect(catalog.get('si-12')).toEqual({ id: 'si-12', label: 'SI-12', title: 'Information Management and Retention', family: 'System and Information Integrity' });
    expect(catalog.get('cm-3.1')?.label).toBe('CM-3(1)');
    expect(catalog.has('ac-5')).toBe(false);
  });

  it('refuses a document that is not a catalog', () => {
    expect(() => parseOscalCatalog({ profile: {} })).toThrow(/not an OSCAL catalog/);
    expect(() => parseOscalCatalog({ catalog: { groups: [] } })).toThrow(/no controls/);
  });
});

describe('CVSS v3.1 base score', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:H', 8.1],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('%s scores %s', (vector, score) => {
    expect(cvss31BaseScore(vector)).toBe(score);
  });

  it('returns nothing for an incomplete vector', () => {
    expect(cvss31BaseScore('CVSS:3.1/AV:N/AC:L')).toBeUndefined();
    expect(cvss31BaseScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined();
  });
});

describe('parameter values', () => {
  it.each([
    ['arn', 'arn:aws:iam::123456789012:role/ai-ops-agent'],
    ['arn', 'arn:aws:s3:::incident-bucket'],
    ['datetime', '2026-05-01'],
    ['datetime', '2026-05-01T10:39:55Z'],
    ['datetime', '2026-06-10 00:00:00'],
    ['aws-account-id', '123456789012'],
    ['email', 'ir-team@example.com'],
    ['url', 'postgres://firebreak@db.internal:5432/app?sslmode=require'],
    ['url', 'sqlite:/var/lib/app.db'],
    ['list', 'orders, customers'],
    ['string', 'svc-ai-agent'],
  ] as const)('%s accepts %s', (type, value) => {
    expect(checkParameterValue(type, value)).toBeUndefined();
  });

  it.each([
    ['arn', 'ai-ops-agent'],
    ['datetime', '2026-13-45'],
    ['aws-account-id', '1234'],
    ['email', 'nobody'],
    ['url', 'db.internal'],
    ['list', ' , '],
    ['string', 'two\nlines'],
    ['string', '-rf'],
    ['string', '  '],
  ] as const)('%s refuses %j', (type, value) => {
    expect(checkParameterValue(type, value)).toEqual(expect.any(String));
  });
});

describe('slugs for imported ids', () => {
  it('makes kebab-case ids from titles', () => {
    expect(slugify('Block the host (firewall)!')).toBe('block-the-host-firewall');
    expect(slugify('42 things', 'playbook')).toBe('playbook-42-things');
  });
});
