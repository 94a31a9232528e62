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

export function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_JSON_BODY) {
        reject(new Error(`request body is larger than ${MAX_JSON_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
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
