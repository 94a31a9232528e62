import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/core/ledger/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('omits undefined members and refuses values JSON cannot carry', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });

  it('prints what jq -cS prints, so reviewers can recompute hashes with jq', () => {
    const value = { ünïcode: 'tab\tnew\nline "q" \\ é 😀', list: [1, 2.5, -0.125, true, false, null], nested: { b: 2, a: 1 } };
    let jq: string;
    try {
      jq = execFileSync('jq', ['-cS', '.'], { input: JSON.stringify(value), encoding: 'utf8' }).trim();
    } catch {
      return expect.fail('jq must be installed for this test (apt-get install jq)');
    }
    expect(canonicalJson(value)).toBe(jq);
  });
});
