import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { badInput } from '../../errors';
import { fieldText } from './canonical';

/**
 * The canonical form of a DynamoDB item for firebreak-rowsum-md5-v1 (docs/validation-checksum.md, "DynamoDB items"):
 * the item's fields are its attribute names in code-unit order, each followed by its value's typed canonical text.
 * Types are part of the text, so the string "1" and the number 1 differ, and sets are sorted, so their order in the
 * response does not matter.
 */
export function itemFields(item: Record<string, AttributeValue>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(item).sort(byCodeUnit)) {
    const value = item[name];
    if (value === undefined) continue;
    out.push(name, valueText(value));
  }
  return out;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const joined = (parts: readonly string[]) => `${parts.length}:${parts.map(fieldText).join('')}`;

/** `S:text`, `N:decimal`, `B:hex`, `BOOL:1|0`, `NULL`, `SS:`/`NS:`/`BS:` sorted members, `L:` in order, `M:` by name. */
export function valueText(v: AttributeValue): string {
  if (v.S !== undefined) return `S:${v.S}`;
  if (v.N !== undefined) return `N:${canonicalNumber(v.N)}`;
  if (v.B !== undefined) return `B:${hex(v.B)}`;
  if (v.BOOL !== undefined) return `BOOL:${v.BOOL ? 1 : 0}`;
  if (v.NULL !== undefined) return 'NULL';
  if (v.SS !== undefined) return `SS:${joined([...v.SS].sort(byCodeUnit))}`;
  if (v.NS !== undefined) return `NS:${joined(v.NS.map(canonicalNumber).sort(byCodeUnit))}`;
  if (v.BS !== undefined) return `BS:${joined(v.BS.map(hex).sort(byCodeUnit))}`;
  if (v.L !== undefined) return `L:${joined(v.L.map(valueText))}`;
  if (v.M !== undefined) return `M:${joined(itemFields(v.M))}`;
  throw badInput(`A DynamoDB attribute value has no type this Firebreak knows: ${Object.keys(v).join(', ') || 'none'}.`);
}

/**
 * A DynamoDB number (up to 38 significant digits, exponent -130..125) as an exact decimal: positional, no exponent,
 * no leading zeros, no trailing fractional zeros, `-` only for negatives, `0` for zero ("1.50E+2" -> "150").
 */
export function canonicalNumber(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw badInput(`"${text}" is not a DynamoDB number.`);
  const ip = m[2] ?? '';
  const fp = m[3] ?? '';
  const all = ip + fp;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  if (!digits) return '0';
  // The decimal exponent of the first significant digit.
  const exp = Number(m[4] ?? '0') + ip.length - lead - 1;
  const sign = m[1] === '-' ? '-' : '';
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (exp >= digits.length - 1) return `${sign}${digits}${'0'.repeat(exp - digits.length + 1)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
