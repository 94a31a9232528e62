import { describe, expect, it } from 'vitest';
import { ChecksumAccumulator, fieldText } from '../../../electron/core/validation/adapters/canonical';
import { canonicalNumber, itemFields, valueText } from '../../../electron/core/validation/adapters/dynamodb-canonical';
import { parseTargetUrl } from '../../../electron/core/validation/adapters/target-url';

const sum = (...items: Array<Parameters<typeof itemFields>[0]>) => {
  const acc = new ChecksumAccumulator();
  for (const i of items) acc.addRow(itemFields(i));
  return acc.checksum;
};

describe('DynamoDB items in canonical form', () => {
  it('reproduces the worked example of docs/validation-checksum.md', () => {
    const a = { id: { S: 'c-1' }, balance: { N: '1.50' }, tags: { SS: ['b', 'a'] } };
    const b = { id: { S: 'c-2' }, active: { BOOL: true }, address: { M: { zip: { N: '69001' }, city: { S: 'Lyon' } } } };
    expect(itemFields(a).map(fieldText).join('')).toBe('7:balance5:N:1.52:id5:S:c-14:tags11:SS:2:1:a1:b');
    expect(itemFields(b).map(fieldText).join('')).toBe('6:active6:BOOL:17:address32:M:4:4:city6:S:Lyon3:zip7:N:690012:id5:S:c-2');
    expect(sum(a, b)).toBe('ba26c498e14a0116');
    expect(sum(b, a)).toBe('ba26c498e14a0116');
  });

  it('numbers are exact decimals whatever their spelling', () => {
    expect(canonicalNumber('1.50E+2')).toBe('150');
    expect(canonicalNumber('-0.000120')).toBe('-0.00012');
    expect(canonicalNumber('-0')).toBe('0');
    expect(canonicalNumber('1e-3')).toBe('0.001');
    expect(canonicalNumber('12345678901234567890123456789012345678')).toBe('12345678901234567890123456789012345678');
    expect(() => canonicalNumber('1.2.3')).toThrow(/not a DynamoDB number/);
  });

  it('types, set order, list order and nesting are all told apart', () => {
    expect(valueText({ S: '1' })).not.toBe(valueText({ N: '1' }));
    expect(valueText({ SS: ['x', 'y'] })).toBe(valueText({ SS: ['y', 'x'] }));
    expect(valueText({ NS: ['10', '9.0'] })).toBe(valueText({ NS: ['9', '1e1'] }));
    expect(valueText({ L: [{ S: 'x' }, { S: 'y' }] })).not.toBe(valueText({ L: [{ S: 'y' }, { S: 'x' }] }));
    expect(valueText({ B: new Uint8Array([0, 255]) })).toBe('B:00ff');
    expect(valueText({ BS: [new Uint8Array([2]), new Uint8Array([1])] })).toBe('BS:2:2:012:02');
    expect(valueText({ M: { a: { S: 'bc' } } })).not.toBe(valueText({ M: { ab: { S: 'c' } } }));
    expect(valueText({ NULL: true })).toBe('NULL');
  });

  it('a missing item changes the checksum', () => {
    const x = { k: { S: 'a' } };
    const y = { k: { S: 'b' } };
    expect(sum(x, y)).not.toBe(sum(x));
  });
});

describe('dynamodb:// URLs', () => {
  it('parse region, table and options; credentials never come from the URL', () => {
    expect(parseTargetUrl('dynamodb://eu-west-3/orders?endpoint=http://127.0.0.1:8000&segments=8&profile=ir')).toMatchObject({
      engine: 'dynamodb',
      region: 'eu-west-3',
      table: 'orders',
      endpoint: 'http://127.0.0.1:8000',
      profile: 'ir',
      segments: 8,
    });
    expect(parseTargetUrl('dynamodb://us-east-1')).toMatchObject({ table: null, segments: 4, display: 'dynamodb://us-east-1' });
    expect(() => parseTargetUrl('dynamodb://AKID:secret@us-east-1/t')).toThrow(/credentials before "@"/);
    expect(() => parseTargetUrl('dynamodb://us-east-1/t1x?password=x')).toThrow(/secret in its query parameter "password"/);
    expect(() => parseTargetUrl('dynamodb://us-east-1/t1x?segments=0')).toThrow(/segments .* from 1 to 1000000/);
    expect(() => parseTargetUrl('dynamodb://us-east-1/t')).toThrow(/not a DynamoDB table name/);
    expect(() => parseTargetUrl('dynamodb://us-east-1/orders?region=x')).toThrow(/option "region" is not supported/);
  });
});
