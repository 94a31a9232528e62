import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../shared/result';

/** How the browser-mode server answers: security headers on everything, the Api's envelope for every error. */

const MAX_JSON_BODY = 1024 * 1024;

/** The page may load only its own scripts and talk only to this server. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The token travels in the URL fragment; never let a URL leave through Referer either.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
    ...extra,
  });
  res.end(text);
}

const CODE_OF_STATUS: Record<number, ErrorCode> = { 400: 'bad-input', 401: 'forbidden', 403: 'forbidden', 404: 'not-found', 405: 'bad-input', 413: 'bad-input', 415: 'bad-input' };

/** Answers a refused request in the Api's envelope, with the error code its HTTP status stands for. */
export const refuse = (res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}) =>
  send(res, status, { ok: false, error: { code: CODE_OF_STATUS[status] ?? 'unavailable', message } }, extra);

/** A JSON body over the limit: answered 413 with a message, after the rest of the body was read and dropped. */
export class BodyTooLarge extends Error {
  constructor() {
    super(`The request body is larger than ${MAX_JSON_BODY / (1024 * 1024)} MiB, the limit for an Api call's JSON input.`);
  }
}

/**
 * Past this, the rest of an oversized body is not even read: the connection is closed after the 413. Below it the rest
 * is read and dropped, so the client, still sending, gets the 413 rather than a connection reset.
 */
const MAX_DRAINED_BODY = 64 * MAX_JSON_BODY;

export function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > MAX_DRAINED_BODY) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DRAINED_BODY) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      if (size <= MAX_JSON_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_JSON_BODY) return reject(new BodyTooLarge());
      const raw = Buffer.concat(chunks).toString('utf8');
      if (!raw.trim()) return resolveBody({});
      try {
        resolveBody(JSON.parse(raw));
      } catch (e) {
        reject(new Error(`request body is not JSON: ${(e as Error).message}`));
      }
    });
    req.on('error', reject);
  });
}
