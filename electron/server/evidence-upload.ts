import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { Core } from '../core/core';
import { FirebreakError } from '../core/errors';
import { intakeStream } from '../core/evidence/intake';
import { track } from '../core/evidence/operations';
import { incidentId } from '../shared/contract/define';
import { EVIDENCE_SOURCE_KINDS } from '../shared/evidence';
import type { ApiError, Result } from '../shared/result';

/**
 * Browser mode's evidence upload: the file's bytes stream straight from the request into the evidence intake (hashed
 * while copied, never buffered whole). The caller (server.ts) has already checked the session token, Host, Origin and
 * Sec-Fetch-Site exactly as for an Api mutation; this handler checks the rest.
 *
 *   POST /upload/evidence?incident=IR-2026-0001&name=<file name>[&description=..][&sourceKind=file][&step=ID]...
 *        [&operation=<id>]   (poll evidence.operations with it for progress; evidence.cancel stops the upload)
 *   Content-Type: application/octet-stream (which a cross-site form cannot send without a CORS preflight)
 *   Content-Length: the file size (an upload that ends short of it is refused and leaves nothing behind)
 *
 * The reply is the Api envelope: {ok: true, value: EvidenceItem} or {ok: false, error}.
 */
export const EVIDENCE_UPLOAD_PATH = '/upload/evidence';

const query = z
  .object({
    incident: incidentId,
    name: z.string().trim().min(1, 'name (the file name) is required').max(1024, 'name is too long'),
    description: z.string().trim().max(4000, 'description is longer than 4000 characters').optional(),
    sourceKind: z.enum(EVIDENCE_SOURCE_KINDS).default('file'),
    step: z.array(z.string().trim().min(1).max(120)).max(100).default([]),
    operation: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'operation is 8-64 letters, digits, - or _').optional(),
  })
  .strict();

function reply(res: ServerResponse, status: number, body: Result<unknown>): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // A refused upload is not read to its end: close the connection instead.
    ...(status >= 400 ? { Connection: 'close' } : {}),
  });
  res.end(text);
}

const refuse = (res: ServerResponse, status: number, error: ApiError) => reply(res, status, { ok: false, error });

function parseQuery(url: URL) {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    raw[key] = key === 'step' ? url.searchParams.getAll(key) : url.searchParams.get(key);
  }
  return query.safeParse(raw);
}

export async function handleEvidenceUpload(core: Core, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return refuse(res, 405, { code: 'bad-input', message: 'Evidence uploads are POST.' });
  if (!String(req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
    return refuse(res, 415, { code: 'bad-input', message: 'Evidence uploads send application/octet-stream.' });
  }
  const parsed = parseQuery(new URL(req.url ?? '/', 'http://localhost'));
  if (!parsed.success) {
    return refuse(res, 400, {
      code: 'bad-input',
      message: 'The upload is missing or has invalid parameters.',
      details: parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`),
    });
  }
  const q = parsed.data;
  // Browsers send a bare file name; anything before a separator is not part of it.
  const name = q.name.split(/[\\/]/).filter(Boolean).at(-1) ?? q.name;
  const length = req.headers['content-length'];
  const expectedSize = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  const ctx = core.context;
  try {
    const actor = ctx.human();
    const item = await track(ctx, q.operation, { incidentId: q.incident, name }, (t) => {
      // The client going away mid-upload cancels the intake: the partial copy is removed.
      const onClose = () => {
        if (!req.complete) t.abort();
      };
      req.once('close', onClose);
      // The intake destroys its source when cancelled; a pass-through keeps the request (and its socket) alive to reply.
      const body = new PassThrough();
      req.pipe(body);
      return intakeStream(ctx, actor, body, {
        incidentId: q.incident,
        name,
        sourceKind: q.sourceKind,
        linkedSteps: q.step,
        ...(q.description ? { description: q.description } : {}),
        ...(expectedSize !== undefined ? { size: expectedSize, expectedSize } : {}),
        signal: t.signal,
        onProgress: t.onProgress,
      }).finally(() => req.off('close', onClose));
    });
    reply(res, 200, { ok: true, value: item });
  } catch (e) {
    if (e instanceof FirebreakError) return reply(res, 200, { ok: false, error: e.toApiError() });
    reply(res, 500, { ok: false, error: { code: 'internal', message: `The upload failed: ${(e as Error)?.message ?? String(e)}` } });
  }
}
