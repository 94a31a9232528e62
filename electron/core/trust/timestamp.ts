/**
 * RFC 3161 time-stamps for ledger checkpoints: a TimeStampReq (version 1, SHA-256 message imprint, a fresh random
 * nonce, certReq so the token carries the TSA's certificate) POSTed as application/timestamp-query to the TSA the
 * organisation configures, and its TimeStampResp read back. A reply is accepted only when it is granted and its
 * TSTInfo answers this request: same imprint (so it stamps these bytes), same nonce (so it is not a replayed token),
 * the requested policy if one was asked for, and the TSA certificate included as requested.
 *
 * The token (the DER ContentInfo) is kept as is for the bundle. Its CMS signature and the TSA's certificate chain are
 * checked by reviewers with `openssl ts -verify -data FILE -in TOKEN -token_in -CAfile CA.pem -untrusted TSA.pem`;
 * this module does not verify them in-app, so a caller must not present a token as trusted on its say-so.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FirebreakError, badInput } from '../errors';
import {
  type Der,
  DerFields,
  TAG,
  contextTag,
  decodeDer,
  derBoolean,
  derChildren,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  readGeneralizedTime,
  readInteger,
  readOid,
  readUtf8,
} from './der';

export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';

export interface TimeStampRequest {
  /** The DER TimeStampReq, as `openssl ts -query` writes it. */
  der: Buffer;
  /** SHA-256 of the stamped data. */
  digest: Buffer;
  nonce: bigint;
  policy: string | null;
}

export interface TimeStamp {
  /** The DER TimeStampToken (CMS ContentInfo): what `openssl ts -verify -in TOKEN -token_in` reads. */
  token: Buffer;
  /** The TSA's time, ISO 8601 UTC. */
  genTime: string;
  /** The token's serial number as `openssl ts -reply -text` prints it, e.g. 0x01. */
  serial: string;
  /** The TSA policy the token was issued under (an OID). */
  policy: string;
  /** The SHA-256 the token stamps, hex. */
  digest: string;
  /** The nonce, as `openssl ts -query -text` prints it. */
  nonce: string;
}

export interface TstInfo {
  policy: string;
  hashAlgorithm: string;
  digest: Buffer;
  serial: bigint;
  genTime: string;
  nonce: bigint | null;
  /** Whether the SignedData carries certificates (the TSA's, when certReq was set). */
  hasCertificates: boolean;
}

const toBytes = (m: Buffer | Uint8Array | string): Buffer => (typeof m === 'string' ? Buffer.from(m, 'utf8') : Buffer.from(m.buffer, m.byteOffset, m.byteLength));

/** SHA-256 of the data: the message imprint a time-stamp of it carries. */
export const timeStampDigest = (data: Buffer | Uint8Array | string): Buffer => createHash('sha256').update(toBytes(data)).digest();

/** A TimeStampReq for a SHA-256 digest; the nonce is 64 random bits unless given. */
export function createTimeStampRequest(digest: Buffer, options: { nonce?: bigint; policy?: string } = {}): TimeStampRequest {
  if (digest.length !== 32) throw badInput(`A SHA-256 digest has 32 bytes, not ${digest.length}.`);
  if (options.policy !== undefined && !/^\d+(\.\d+)+$/.test(options.policy)) throw badInput(`The TSA policy "${options.policy}" is not an object identifier (e.g. 1.2.3.4).`);
  const nonce = options.nonce ?? BigInt(`0x${randomBytes(8).toString('hex')}`);
  const der = derSequence(
    derInteger(1),
    derSequence(derSequence(derOid(SHA256_OID), derNull()), derOctetString(digest)),
    ...(options.policy ? [derOid(options.policy)] : []),
    derInteger(nonce),
    derBoolean(true),
  );
  return { der, digest: Buffer.from(digest), nonce, policy: options.policy ?? null };
}

/** PKIFailureInfo bit names (RFC 3161 section 2.4.2). */
const FAILURES: Record<number, string> = {
  0: 'badAlg (unrecognized or unsupported algorithm)',
  2: 'badRequest (transaction not permitted or supported)',
  5: 'badDataFormat (the data submitted has the wrong format)',
  14: "timeNotAvailable (the TSA's time source is not available)",
  15: 'unacceptedPolicy (the requested policy is not supported)',
  16: 'unacceptedExtension (the requested extension is not supported)',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};
const STATUSES = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

function failureNames(bits: Der): string[] {
  const data = bits.content.subarray(1);
  const out: string[] = [];
  data.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) out.push(FAILURES[i * 8 + b] ?? `failure bit ${i * 8 + b}`);
  });
  return out;
}

/** Reads the TSTInfo out of a token (ContentInfo with SignedData), e.g. one kept in a bundle. */
export function readTimeStampToken(token: Buffer, where = 'the time-stamp token'): TstInfo {
  const info = new DerFields(decodeDer(token, where), where);
  const type = readOid(info.next(TAG.OID, 'content type'), where);
  if (type !== SIGNED_DATA_OID) throw badInput(`${where} is not CMS SignedData (content type ${type}).`);
  const [signedNode, ...extra] = derChildren(info.next(contextTag(0), 'signed data'), where);
  info.end();
  if (!signedNode || extra.length) throw badInput(`${where}: the signed data is not one element.`);
  const signed = new DerFields(signedNode, where);
  signed.next(TAG.INTEGER, 'SignedData version');
  signed.next(TAG.SET, 'digest algorithms');
  const encap = new DerFields(signed.next(TAG.SEQUENCE, 'encapsulated content'), where);
  const eType = readOid(encap.next(TAG.OID, 'encapsulated content type'), where);
  if (eType !== TST_INFO_OID) throw badInput(`${where} does not hold a TSTInfo (content type ${eType}).`);
  const [octets] = derChildren(encap.next(contextTag(0), 'TSTInfo'), where);
  encap.end();
  if (!octets || octets.tag !== TAG.OCTET_STRING) throw badInput(`${where}: the TSTInfo is not an OCTET STRING.`);
  const hasCertificates = signed.optional(contextTag(0)) !== null;
  signed.optional(contextTag(1));
  if (derChildren(signed.next(TAG.SET, 'signer infos'), where).length === 0) throw badInput(`${where} has no signer.`);
  signed.end();

  const tw = `${where} (TSTInfo)`;
  const tst = new DerFields(decodeDer(octets.content, tw), tw);
  const version = readInteger(tst.next(TAG.INTEGER, 'version'), tw, 'version');
  if (version !== 1n) throw badInput(`${tw} has version ${version}; RFC 3161 defines version 1.`);
  const policy = readOid(tst.next(TAG.OID, 'policy'), tw, 'policy');
  const imprint = new DerFields(tst.next(TAG.SEQUENCE, 'message imprint'), tw);
  const alg = new DerFields(imprint.next(TAG.SEQUENCE, 'hash algorithm'), tw);
  const hashAlgorithm = readOid(alg.next(TAG.OID, 'hash algorithm'), tw);
  alg.rest();
  const digest = Buffer.from(imprint.next(TAG.OCTET_STRING, 'hashed message').content);
  imprint.end();
  const serial = readInteger(tst.next(TAG.INTEGER, 'serial number'), tw, 'serial number');
  const genTime = readGeneralizedTime(tst.next(TAG.GENERALIZED_TIME, 'time'), tw, 'time');
  tst.optional(TAG.SEQUENCE); // accuracy
  tst.optional(TAG.BOOLEAN); // ordering
  const nonceNode = tst.optional(TAG.INTEGER);
  tst.rest(); // tsa name, extensions
  return { policy, hashAlgorithm, digest, serial, genTime, nonce: nonceNode ? readInteger(nonceNode, tw, 'nonce') : null, hasCertificates };
}

/**
 * Reads a TimeStampResp and accepts it only as the answer to `request`; otherwise throws (check-failed) saying why:
 * the TSA's refusal with its reasons, or which field does not match.
 */
export function acceptTimeStampResponse(response: Buffer, request: TimeStampRequest, where = 'the time-stamp reply'): TimeStamp {
  const refuse = (why: string) => new FirebreakError('check-failed', `${where} ${why}`);
  let resp: DerFields;
  let status: bigint;
  let texts: string[];
  let failure: Der | null;
  try {
    resp = new DerFields(decodeDer(response, where), where);
    const info = new DerFields(resp.next(TAG.SEQUENCE, 'status'), where);
    status = readInteger(info.next(TAG.INTEGER, 'status'), where, 'status');
    const textNode = info.optional(TAG.SEQUENCE);
    texts = textNode ? derChildren(textNode, where).map((t) => readUtf8(t, where, 'status text')) : [];
    failure = info.optional(TAG.BIT_STRING);
    info.end();
  } catch (e) {
    throw refuse(`is not a TimeStampResp: ${(e as Error).message}`);
  }
  if (status !== 0n && status !== 1n) {
    const reasons = [...texts, ...(failure ? failureNames(failure) : [])];
    throw refuse(`refuses the request: ${STATUSES[Number(status)] ?? `status ${status}`}${reasons.length ? ` (${reasons.join('; ')})` : ''}.`);
  }
  const tokenNode = resp.optional(TAG.SEQUENCE);
  if (!tokenNode) throw refuse('says granted but holds no time-stamp token.');
  resp.end();
  let tst: TstInfo;
  try {
    tst = readTimeStampToken(Buffer.from(tokenNode.raw), `the token in ${where}`);
  } catch (e) {
    throw refuse(`holds a token that cannot be read: ${(e as Error).message}`);
  }
  if (tst.hashAlgorithm !== SHA256_OID || !tst.digest.equals(request.digest)) {
    throw refuse(`stamps other data than requested: its imprint is ${tst.digest.toString('hex')} (${tst.hashAlgorithm}), the request's SHA-256 ${request.digest.toString('hex')}.`);
  }
  if (tst.nonce === null) throw refuse('has no nonce, so it cannot be told from a replayed token.');
  if (tst.nonce !== request.nonce) throw refuse(`answers another request: its nonce is ${opensslHex(tst.nonce)}, the request's ${opensslHex(request.nonce)}.`);
  if (request.policy && tst.policy !== request.policy) throw refuse(`was issued under the policy ${tst.policy}, not the requested ${request.policy}.`);
  if (!tst.hasCertificates) throw refuse("omits the TSA's certificate that the request asked for.");
  return {
    token: Buffer.from(tokenNode.raw),
    genTime: tst.genTime,
    serial: opensslHex(tst.serial),
    policy: tst.policy,
    digest: tst.digest.toString('hex'),
    nonce: opensslHex(tst.nonce),
  };
}

/** 0x and whole bytes of uppercase hex, as openssl prints serials and nonces. */
const opensslHex = (n: bigint): string => {
  const h = n.toString(16).toUpperCase();
  return `0x${h.length % 2 ? `0${h}` : h}`;
};

const MAX_REPLY = 1 << 20;

async function readCapped(res: Response, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_REPLY) throw new FirebreakError('check-failed', `The time-stamping authority at ${url} sent more than ${MAX_REPLY} bytes; a reply is a few kilobytes.`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

export interface TimeStampOptions {
  /** A TSA policy OID to request; the token must then be issued under it. */
  policy?: string;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Time-stamps the data (or a SHA-256 digest of it, given as `{ sha256 }`) at the TSA's URL. */
export async function requestTimeStamp(url: string, data: Buffer | Uint8Array | string | { sha256: Buffer }, options: TimeStampOptions = {}): Promise<TimeStamp> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw badInput(`The time-stamping authority URL "${url}" is not a URL.`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw badInput(`The time-stamping authority URL "${url}" must be http or https.`);
  const digest = typeof data === 'object' && 'sha256' in data ? data.sha256 : timeStampDigest(data);
  const request = createTimeStampRequest(digest, options.policy === undefined ? {} : { policy: options.policy });
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  let res: Response;
  let body: Buffer;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(request.der),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      redirect: 'error',
    });
    if (res.status !== 200) {
      throw new FirebreakError('unavailable', `The time-stamping authority at ${url} answered HTTP ${res.status} ${res.statusText}.`);
    }
    body = await readCapped(res, url);
  } catch (e) {
    if (e instanceof FirebreakError) throw e;
    if (options.signal?.aborted) throw new FirebreakError('cancelled', `Time-stamping at ${url} was cancelled.`);
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new FirebreakError('unavailable', `The time-stamping authority at ${url} could not be reached: ${timeout.aborted ? 'no answer in time' : cause}.`);
  }
  const type = res.headers.get('content-type') ?? 'no content type';
  return acceptTimeStampResponse(body, request, `the reply of ${url} (${type})`);
}
