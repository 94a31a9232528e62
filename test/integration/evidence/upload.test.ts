import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../../../electron/core/core';
import { cancelOperation, listOperations } from '../../../electron/core/evidence/operations';
import { objectsDir } from '../../../electron/core/evidence/store';
import { EVIDENCE_UPLOAD_PATH, handleEvidenceUpload } from '../../../electron/server/evidence-upload';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { Result } from '../../../electron/shared/result';
import { REPO, type Workspace, makeWorkspace } from './helpers';

let w: Workspace;
let core: Core;
let server: Server;
let port: number;
/** Each handled upload, to wait for the server side to finish. */
let handled: Array<Promise<void>>;

beforeEach(async () => {
  w = makeWorkspace();
  core = openCore({ dataDir: w.dataDir, resourcesDir: REPO, mode: 'browser', version: 'test', operator: { name: 'Dana Reyes', role: 'IR lead' } });
  handled = [];
  // Stands in for server.ts, which checks token, Host and Origin before handing the request over.
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === EVIDENCE_UPLOAD_PATH) handled.push(handleEvidenceUpload(core, req, res));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  core.close();
  w.cleanup();
});

const url = (q: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const one of [v].flat()) p.append(k, one);
  return `${EVIDENCE_UPLOAD_PATH}?${p.toString()}`;
};

function post(path: string, body: Buffer | null, headers: Record<string, string> = {}) {
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', ...(body ? { 'Content-Length': String(body.length) } : {}), ...headers },
  });
  const response = new Promise<{ status: number; body: Result<EvidenceItem> }>((done, fail) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) as Result<EvidenceItem> }));
    });
    req.on('error', fail);
  });
  if (body) req.end(body);
  return { req, response };
}

const leftovers = () => (existsSync(objectsDir(w.dataDir)) ? readdirSync(objectsDir(w.dataDir)) : []);
const itemCount = () => (core.context.db.prepare('SELECT count(*) AS n FROM evidence_items').get() as { n: number }).n;

describe('browser-mode evidence upload', () => {
  it('streams the body into the locker and answers with the item', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const { response } = post(url({ incident: w.incidentId, name: 'Agent transcript ✓.json', description: 'from the chat UI', step: 'isolate-agent' }), data);
    const r = await response;
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      value: {
        name: 'Agent transcript ✓.json',
        sha256: createHash('sha256').update(data).digest('hex'),
        size: data.length,
        description: 'from the chat UI',
        linkedSteps: ['isolate-agent'],
        acquiredBy: { name: 'Dana Reyes', role: 'IR lead', initiator: 'human' },
      },
    });
  });

  it('leaves nothing behind when the client goes away mid-upload', async () => {
    const { req, response } = post(url({ incident: w.incidentId, name: 'half.bin', operation: 'upload-abort-1' }), null, {
      'Content-Length': String(64 * 1024 * 1024),
    });
    response.catch(() => {});
    req.write(randomBytes(4 * 1024 * 1024));
    while (!listOperations(core.context).some((o) => o.bytesDone > 0)) await new Promise((r) => setTimeout(r, 5));
    expect(leftovers().some((n) => n.startsWith('.partial-'))).toBe(true);
    req.destroy();
    await Promise.all(handled);
    expect(leftovers()).toEqual([]);
    expect(itemCount()).toBe(0);
  });

  it('can be cancelled through evidence.cancel, with progress before that', async () => {
    const { req, response } = post(url({ incident: w.incidentId, name: 'big.bin', operation: 'upload-cancel-1' }), null, {
      'Content-Length': String(64 * 1024 * 1024),
    });
    req.write(randomBytes(2 * 1024 * 1024));
    let op;
    while (!(op = listOperations(core.context).find((o) => o.operationId === 'upload-cancel-1' && o.bytesDone > 0))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(op).toMatchObject({ incidentId: w.incidentId, name: 'big.bin', bytesTotal: 64 * 1024 * 1024 });
    expect(cancelOperation(core.context, 'upload-cancel-1')).toBe(true);
    const r = await response;
    expect(r.body).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await Promise.all(handled);
    expect(leftovers()).toEqual([]);
    expect(itemCount()).toBe(0);
  });

  it('refuses what is not an upload, with the reason', async () => {
    const noName = await post(url({ incident: w.incidentId }), Buffer.from('x')).response;
    expect(noName.status).toBe(400);
    expect(noName.body).toMatchObject({ ok: false, error: { code: 'bad-input', details: [expect.stringContaining('name')] } });
    const wrongType = await post(url({ incident: w.incidentId, name: 'a' }), Buffer.from('x'), { 'Content-Type': 'text/plain' }).response;
    expect(wrongType.status).toBe(415);
    const unknown = await post(url({ incident: 'IR-2026-0404', name: 'a' }), Buffer.from('x')).response;
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(leftovers()).toEqual([]);
  });
});
