import { describe, expect, it } from 'vitest';
import { categoriesFromName, ibanValid, luhn, matchValues, normaliseName } from '../../../electron/core/validation/classify/detectors';

describe('personal data detectors', () => {
  it('checks payment card numbers with Luhn and IBANs with mod 97', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });

  it('counts values matching each category; ids, amounts and invalid numbers match none', () => {
    const counts = matchValues([
      'ann@example.com',
      '4111 1111 1111 1111',
      '4111111111111112',
      '078-05-1120',
      '000-12-3456',
      'GB82WEST12345698765432',
      '192.168.10.4',
      '2001:db8::1',
      '+1 (555) 010-2000',
      '1234567890',
      '12.50',
      'Type 2 diabetes, on insulin',
      'E11.9',
    ]);
    expect(Object.fromEntries(counts)).toEqual({ email: 1, 'payment-card': 1, 'national-id': 1, iban: 1, 'ip-address': 2, phone: 1, health: 2 });
  });

  it('reads column names in any case style; a bare "name" is a person only in a table of people', () => {
    expect(normaliseName('BillingPostalCode')).toBe('billing_postal_code');
    expect(categoriesFromName('EMail', 'x')).toEqual(['email']);
    expect(categoriesFromName('date_of_birth', 'x')).toEqual(['date-of-birth']);
    expect(categoriesFromName('ssn', 'x')).toEqual(['national-id']);
    expect(categoriesFromName('card_number', 'payment')).toEqual(['payment-card']);
    expect(categoriesFromName('diagnosis', 'visit')).toEqual(['health']);
    expect(categoriesFromName('name', 'customer')).toEqual(['person-name']);
    expect(categoriesFromName('Name', 'Track')).toEqual([]);
    expect(categoriesFromName('zip', 'x')).toEqual(['postal-address']);
    expect(categoriesFromName('description', 'x')).toEqual([]);
  });
});
