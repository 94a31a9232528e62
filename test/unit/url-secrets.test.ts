import { describe, expect, it } from 'vitest';
import { scanText } from '../../electron/core/evidence/secret-scan';
import { parseTargetUrl } from '../../electron/core/validation/adapters/target-url';
import { checkParameterValue } from '../../electron/shared/playbook/parameter-values';
import { redactUrlSecrets, redactUrlSecretsDeep, urlSecretProblem } from '../../electron/shared/url-secrets';

// Assembled at run time so that no scanner flags this file.
const PW = ['hunter', '2-Secret'].join('');

describe('passwords inside URLs', () => {
  it('finds a password in the user-info or in a password query parameter, and nothing in a clean URL', () => {
    expect(urlSecretProblem(`postgres://admin:${PW}@db/orders`)).toMatch(/user-info/);
    expect(urlSecretProblem(`postgres://db/orders?sslmode=require&password=${PW}`)).toMatch(/query parameter "password"/);
    expect(urlSecretProblem(`postgres://db/orders?sslpassword=${PW}`)).toMatch(/"sslpassword"/);
    expect(urlSecretProblem(`mysql://app@db/orders?PASS=${PW}`)).toMatch(/"PASS"/);
    expect(urlSecretProblem(`restore from postgres://admin:${PW}@db/orders tonight`)).toMatch(/user-info/);
    expect(urlSecretProblem('postgres://firebreak@db.internal:5432/orders?sslmode=verify-full')).toBeUndefined();
    expect(urlSecretProblem('https://example.com/?passage=1')).toBeUndefined();
  });

  it('redacts them wherever they stand in a text, and leaves the rest of the value as it was', () => {
    expect(redactUrlSecrets(`db postgres://admin:${PW}@db/orders?password=${PW}&sslmode=require, done`)).toBe(
      'db postgres://admin:***@db/orders?password=***&sslmode=require, done',
    );
    const model = { facts: [{ label: 'Production', value: `mysql://u@h/d?pwd=${PW}` }], n: 3, clean: ['x'] };
    const out = redactUrlSecretsDeep(model);
    expect(JSON.stringify(out)).not.toContain(PW);
    expect(out.clean).toBe(model.clean);
    expect(out.n).toBe(3);
  });

  it('refuses a parameter of any type that holds one, quoting it redacted', () => {
    expect(checkParameterValue('url', `postgres://db/orders?password=${PW}`)).toMatch(/^contains a password in its query parameter "password"/);
    expect(checkParameterValue('string', `postgres://admin:${PW}@db/orders`)).toMatch(/^contains a password in its user-info/);
    expect(checkParameterValue('url', 'postgres://firebreak@db/orders')).toBeUndefined();
  });

  it('refuses a database URL whose query carries a password, saying where it belongs instead', () => {
    expect(() => parseTargetUrl(`postgres://db/orders?password=${PW}`)).toThrow(/carries a password in its query parameter "password"/);
    expect(() => parseTargetUrl(`mysql://app@db/orders?sslpassword=${PW}`)).toThrow(/"sslpassword"/);
  });

  it('flags database URLs with passwords in text evidence, without keeping the password', () => {
    const text = [
      `DATABASE_URL=postgres://admin:${PW}@db.internal:5432/orders`,
      'READER=postgres://reader@db.internal/orders',
      `jdbc:mysql://db/orders?user=app&password=${PW}x`,
      `MONGO=mongodb+srv://svc:${PW}y@cluster0.example.net/app`,
    ].join('\n');
    const findings = scanText(text);
    expect(findings.map((f) => `${f.kind}@${f.line}`)).toEqual(['database-url-password@1', 'database-url-password@3', 'database-url-password@4']);
    expect(JSON.stringify(findings)).not.toContain(PW);
  });
});
