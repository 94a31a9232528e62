import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Core } from '../core/index';
import { HTTP_API_PREFIX, STREAM_INPUT_PARAM, contract, isApiMethod } from '../shared/contract/index';
import { BodyTooLarge, readJson, refuse, send } from './http';

/**
 * One Api call over HTTP, its route derived from the contract: POST /api/<method>. The caller (server.ts) has checked
 * the session token, Host, Origin and Sec-Fetch-Site. Input is JSON in the body; for a method whose body is a stream
 * (an evidence upload) the body is the file, sent as application/octet-stream (which a cross-site form cannot send
 * without a CORS preflight), and the input is JSON in the `input` query parameter.
 */
export async function serveApiCall(core: Core, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = url.pathname.slice(HTTP_API_PREFIX.length);
  if (!isApiMethod(name)) return send(res, 404, { ok: false, error: { code: 'not-found', message: `There is no Api method "${name}".` } });
  const spec = contract[name];
  if (spec.local) return refuse(res, 403, `${name} writes a file where its caller says: only the CLI may call it`);
  if (spec.kind !== 'query' && req.headers.origin === undefined && req.headers['sec-fetch-mode'] === 'navigate') {
    return refuse(res, 403, 'a navigation cannot change state');
  }
  if (spec.body === 'stream') return streamCall(core, name, req, res, url);
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'Api calls send application/json');
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (e) {
    if (e instanceof BodyTooLarge) return refuse(res, 413, e.message, { Connection: 'close' });
    return refuse(res, 400, (e as Error).message);
  }
  send(res, 200, await core.call(name, body));
}

async function streamCall(core: Core, name: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // A refused upload is not read to its end: the connection is closed instead.
  const close = { Connection: 'close' };
  if (!String(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
    return refuse(res, 415, `${name} sends the file as application/octet-stream`, close);
  }
  let input: unknown;
  try {
    input = JSON.parse(url.searchParams.get(STREAM_INPUT_PARAM) ?? '{}');
  } catch (e) {
    return refuse(res, 400, `the ${STREAM_INPUT_PARAM} parameter is not JSON: ${(e as Error).message}`, close);
  }
  const length = req.headers['content-length'];
  // The client going away mid-upload cancels the call: the partial copy is removed.
  const gone = new AbortController();
  const onClose = () => {
    if (!req.complete) gone.abort();
  };
  req.once('close', onClose);
  // The intake destroys its source when cancelled; a pass-through keeps the request (and its socket) alive to reply.
  const stream = new PassThrough();
  req.pipe(stream);
  try {
    const r = await core.call(name, input, {
      signal: gone.signal,
      body: { stream, ...(length !== undefined && /^\d+$/.test(length) ? { length: Number(length) } : {}) },
    });
    if (res.headersSent || res.destroyed) return;
    send(res, 200, r, req.complete ? {} : close);
  } finally {
    req.off('close', onClose);
  }
}
