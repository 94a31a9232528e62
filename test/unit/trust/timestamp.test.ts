import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../../../electron/core/errors';
import * as asn1 from '../../../electron/core/trust/der';
import { SHA256_OID, acceptTimeStampResponse, createTimeStampRequest, readTimeStampToken, timeStampDigest } from '../../../electron/core/trust/timestamp';

describe('DER', () => {
  it.each([0n, 1n, 127n, 128n, 255n, 256n, 0xffffn, 2n ** 63n, 2n ** 64n - 1n, 2n ** 160n + 12345n])('INTEGER %s round-trips in its shortest form', (n) => {
    const enc = asn1.derInteger(n);
    expect(asn1.readInteger(asn1.decodeDer(enc, 'x'), 'x')).toBe(n);
    // Shortest form: a leading zero byte only when the next byte's top bit is set.
    const content = asn1.decodeDer(enc, 'x').content;
    if (content.length > 1) expect(content[0] !== 0 || ((content[1] as number) & 0x80) !== 0).toBe(true);
  });

  it('reads negative integers and refuses padded ones', () => {
    expect(asn1.readInteger(asn1.decodeDer(Buffer.of(0x02, 0x01, 0xff), 'x'), 'x')).toBe(-1n);
    expect(asn1.readInteger(asn1.decodeDer(Buffer.of(0x02, 0x02, 0xff, 0x7f), 'x'), 'x')).toBe(-129n);
    expect(() => asn1.readInteger(asn1.decodeDer(Buffer.of(0x02, 0x02, 0x00, 0x7f), 'the reply'), 'the reply', 'nonce')).toThrow('the reply: the nonce is not in its shortest form (not DER).');
    expect(() => asn1.readInteger(asn1.decodeDer(Buffer.of(0x02, 0x00), 'x'), 'x')).toThrow(/is empty/);
  });

  it.each([SHA256_OID, '1.2.840.113549.1.9.16.1.4', '2.999.3', '0.9.2342.19200300.100.1.1', '1.3.6.1.4.1.55555.1.1'])('OID %s round-trips', (oid) => {
    expect(asn1.readOid(asn1.decodeDer(asn1.derOid(oid), 'x'), 'x')).toBe(oid);
  });

  it('encodes SHA-256 as every DER encoder does', () => {
    expect(asn1.derOid(SHA256_OID).toString('hex')).toBe('0609608648016503040201');
  });

  it('uses long-form lengths past 127 bytes and reads them back', () => {
    for (const n of [127, 128, 255, 256, 70_000]) {
      const node = asn1.decodeDer(asn1.derOctetString(Buffer.alloc(n, 1)), 'x');
      expect(node.content.length).toBe(n);
    }
  });

  it.each([
    [Buffer.of(0x30, 0x80, 0x00, 0x00), /indefinite length \(BER, not DER\) at byte 0/],
    [Buffer.of(0x04, 0x81, 0x05, 1, 2, 3, 4, 5), /length not in its shortest form/],
    [Buffer.of(0x04, 0x82, 0x00, 0x85, ...Buffer.alloc(0x85)), /length not in its shortest form/],
    [Buffer.of(0x04, 0x03, 1, 2), /element of 3 bytes that runs past the end/],
    [Buffer.of(0x04, 0x01, 1, 0x00), /1 bytes follow the encoded structure/],
    [Buffer.of(0x1f, 0x81, 0x01, 0x00), /multi-byte tag/],
    [Buffer.of(0x04), /ends inside an element header/],
    [Buffer.of(0x04, 0x85, 1, 1, 1, 1, 1), /length of 5 bytes/],
  ])('refuses malformed encoding %#', (buf, message) => {
    expect(() => asn1.decodeDer(buf, 'the token')).toThrow(message);
    expect(() => asn1.decodeDer(buf, 'the token')).toThrow(/^the token: /);
  });

  it('names the byte offset of a bad nested element', () => {
    const nested = asn1.derSequence(asn1.derInteger(1), Buffer.of(0x30, 0x80, 0x00, 0x00));
    expect(() => asn1.derChildren(asn1.decodeDer(nested, 'the reply'), 'the reply')).toThrow('the reply: an indefinite length (BER, not DER) at byte 5.');
  });

  it('walks fields in order and names the missing or unexpected one', () => {
    const seq = asn1.decodeDer(asn1.derSequence(asn1.derInteger(1), asn1.derOid(SHA256_OID)), 'x');
    const f = new asn1.DerFields(seq, 'the request');
    f.next(asn1.TAG.INTEGER, 'version');
    expect(f.optional(asn1.TAG.BOOLEAN)).toBeNull();
    expect(() => f.next(asn1.TAG.INTEGER, 'nonce')).toThrow('the request: the nonce should have tag 0x02 but has 0x06 at byte 5.');
    f.next(asn1.TAG.OID, 'policy');
    expect(() => f.next(asn1.TAG.INTEGER, 'nonce')).toThrow('the request: the nonce is missing.');
    expect(() => new asn1.DerFields(asn1.decodeDer(asn1.derInteger(1), 'x'), 'the request')).toThrow('the request: expected a SEQUENCE, found tag 0x02 at byte 0.');
  });

  it.each(['20260302091500+0100', '260302091500Z', '20260302091500.Z', '20260302091500.50Z', '2026030209Z'])('refuses the GeneralizedTime %s', (t) => {
    expect(() => asn1.readGeneralizedTime(asn1.decodeDer(asn1.der(asn1.TAG.GENERALIZED_TIME, Buffer.from(t)), 'x'), 'the token')).toThrow(/not a UTC GeneralizedTime/);
  });
});

describe('time-stamp requests and replies', () => {
  const digest = timeStampDigest('checkpoint');

  it('encodes version 1, the SHA-256 imprint, the nonce and certReq', () => {
    const req = createTimeStampRequest(digest, { nonce: 0x1234n, policy: '1.2.3.4' });
    const f = new asn1.DerFields(asn1.decodeDer(req.der, 'req'), 'req');
    expect(asn1.readInteger(f.next(asn1.TAG.INTEGER, 'version'), 'req')).toBe(1n);
    const imprint = new asn1.DerFields(f.next(asn1.TAG.SEQUENCE, 'imprint'), 'req');
    const alg = new asn1.DerFields(imprint.next(asn1.TAG.SEQUENCE, 'alg'), 'req');
    expect(asn1.readOid(alg.next(asn1.TAG.OID, 'oid'), 'req')).toBe(SHA256_OID);
    alg.next(asn1.TAG.NULL, 'params');
    expect(imprint.next(asn1.TAG.OCTET_STRING, 'digest').content.equals(digest)).toBe(true);
    expect(asn1.readOid(f.next(asn1.TAG.OID, 'policy'), 'req')).toBe('1.2.3.4');
    expect(asn1.readInteger(f.next(asn1.TAG.INTEGER, 'nonce'), 'req')).toBe(0x1234n);
    expect(f.next(asn1.TAG.BOOLEAN, 'certReq').content).toEqual(Buffer.of(0xff));
    f.end();
  });

  it('draws a fresh 64-bit nonce per request', () => {
    const nonces = new Set(Array.from({ length: 20 }, () => createTimeStampRequest(digest).nonce));
    expect(nonces.size).toBe(20);
    for (const n of nonces) expect(n < 2n ** 64n && n >= 0n).toBe(true);
  });

  it('refuses a digest that is not SHA-256 and a policy that is not an OID', () => {
    expect(() => createTimeStampRequest(Buffer.alloc(20))).toThrow('A SHA-256 digest has 32 bytes, not 20.');
    expect(() => createTimeStampRequest(digest, { policy: 'gold' })).toThrow('The TSA policy "gold" is not an object identifier (e.g. 1.2.3.4).');
  });

  const statusOnly = (...info: Buffer[]) => asn1.derSequence(asn1.derSequence(...info));
  const accept = (resp: Buffer) => {
    try {
      acceptTimeStampResponse(resp, createTimeStampRequest(digest), 'the reply');
    } catch (e) {
      expect(e).toBeInstanceOf(FirebreakError);
      expect((e as FirebreakError).code).toBe('check-failed');
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it("quotes the TSA's refusal: status, its text and the failure bits by name", () => {
    // failInfo with bits 2 (badRequest) and 15 (unacceptedPolicy): 0x20 0x01, no unused bits.
    const failInfo = asn1.der(asn1.TAG.BIT_STRING, Buffer.of(0x00, 0x20, 0x01));
    expect(accept(statusOnly(asn1.derInteger(2), asn1.derSequence(asn1.der(asn1.TAG.UTF8_STRING, Buffer.from('policy not accepted'))), failInfo))).toBe(
      'the reply refuses the request: rejection (policy not accepted; badRequest (transaction not permitted or supported); unacceptedPolicy (the requested policy is not supported)).',
    );
    expect(accept(statusOnly(asn1.derInteger(3)))).toBe('the reply refuses the request: waiting.');
    expect(accept(statusOnly(asn1.derInteger(9)))).toBe('the reply refuses the request: status 9.');
  });

  it('refuses a granted reply with no token, and tokens that are not TSTInfo in SignedData', () => {
    expect(accept(statusOnly(asn1.derInteger(0)))).toBe('the reply says granted but holds no time-stamp token.');
    const notSigned = asn1.derSequence(asn1.derSequence(asn1.derInteger(0)), asn1.derSequence(asn1.derOid('1.2.840.113549.1.7.1'), asn1.der(0xa0, asn1.derOctetString(Buffer.from('x')))));
    expect(accept(notSigned)).toMatch(/holds a token that cannot be read: the token in the reply is not CMS SignedData \(content type 1\.2\.840\.113549\.1\.7\.1\)\./);
    expect(() => readTimeStampToken(Buffer.from('nonsense'))).toThrow(/^the time-stamp token: /);
    expect(accept(Buffer.from('<html>'))).toMatch(/^the reply is not a TimeStampResp: /);
  });
});
