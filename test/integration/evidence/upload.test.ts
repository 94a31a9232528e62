import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../../../electron/core/core';
import { objectsDir } from '../../../electron/core/evidence/store';
import { type RunningServer, startServer } from '../../../electron/server/server';
import { type ApiInput, type Operation, STREAM_INPUT_PARAM, httpRoute } from '../../../electron/shared/contract/index';
import type { ByteProgress, EvidenceItem } from '../../../electron/shared/evidence';
import type { Result } from '../../../electron/shared/result';
import { REPO, type Workspace, makeWorkspace } from './helpers';

const TOKEN = 'upload-test-token';
let w: Workspace;
let core: Core;
let server: RunningServer;

beforeEach(async () => {
  w = makeWorkspace();
  core = openCore({ dataDir: w.dataDir, resourcesDir: REPO, mode: 'browser', version: 'test', operator: { name: 'Dana Reyes', role: 'IR lead' } });
  // The real browser-mode server: the upload's route, token and Origin checks come from the contract like any call's.
  server = await startServer({ core, staticDir: w.root, token: TOKEN });
});
afterEach(async () => {
  await server.close();
  core.close();
  w.cleanup();
});

const url = (input: Partial<ApiInput<'evidence.upload'>>) => `${httpRoute('evidence.upload')}?${new URLSearchParams({ [STREAM_INPUT_PARAM]: JSON.stringify(input) }).toString()}`;

/** The running operations, as the UI polls them. */
async function operations(): Promise<Array<Operation<ByteProgress>>> {
  const r = await core.call('operations.list', {});
  return r.ok ? (r.value as Array<Operation<ByteProgress>>) : [];
}

/** Until the server side has dropped every operation (the intake has finished cleaning up). */
async function settled(): Promise<void> {
  while ((await operations()).length) await new Promise((r) => setTimeout(r, 5));
}

function post(path: string, body: Buffer | null, headers: Record<string, string> = {}) {
  const req = request({
    host: '127.0.0.1',
    port: server.port,
    path,
    method: 'POST',
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/octet-stream',
      ...(body ? { 'Content-Length': String(body.length) } : {}),
      ...headers,
    },
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
    const { response } = post(url({ incidentId: w.incidentId, name: 'Agent transcript ✓.json', description: 'from the chat UI', linkedSteps: ['isolate-agent'] }), data);
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
    const { req, response } = post(url({ incidentId: w.incidentId, name: 'half.bin', operationId: 'upload-abort-1' }), null, {
      'Content-Length': String(64 * 1024 * 1024),
    });
    response.catch(() => {});
    req.write(randomBytes(4 * 1024 * 1024));
    while (!(await operations()).some((o) => (o.progress?.bytesDone ?? 0) > 0)) await new Promise((r) => setTimeout(r, 5));
    expect(leftovers().some((n) => n.startsWith('.partial-'))).toBe(true);
    req.destroy();
    await settled();
    expect(leftovers()).toEqual([]);
    expect(itemCount()).toBe(0);
  });

  it('can be cancelled through operations.cancel, with progress before that', async () => {
    const { req, response } = post(url({ incidentId: w.incidentId, name: 'big.bin', operationId: 'upload-cancel-1' }), null, {
      'Content-Length': String(64 * 1024 * 1024),
    });
    req.write(randomBytes(2 * 1024 * 1024));
    let op;
    while (!(op = (await operations()).find((o) => o.id === 'upload-cancel-1' && (o.progress?.bytesDone ?? 0) > 0))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(op).toMatchObject({ method: 'evidence.upload', incidentId: w.incidentId, progress: { bytesTotal: 64 * 1024 * 1024 } });
    expect(await core.call('operations.cancel', { operationId: 'upload-cancel-1' })).toEqual({ ok: true, value: { cancelled: true } });
    const r = await response;
    expect(r.body).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await settled();
    expect(leftovers()).toEqual([]);
    expect(itemCount()).toBe(0);
  });

  it('refuses what is not an upload, with the reason', async () => {
    const noName = await post(url({ incidentId: w.incidentId }), Buffer.from('x')).response;
    expect(noName.body).toMatchObject({ ok: false, error: { code: 'bad-input', details: [expect.stringContaining('name')] } });
    const wrongType = await post(url({ incidentId: w.incidentId, name: 'a' }), Buffer.from('x'), { 'Content-Type': 'text/plain' }).response;
    expect(wrongType.status).toBe(415);
    const notJson = await post(`${httpRoute('evidence.upload')}?${STREAM_INPUT_PARAM}=%7Bnope`, Buffer.from('x')).response;
    expect(notJson).toMatchObject({ status: 400, body: { ok: false, error: { code: 'bad-input' } } });
    const unknown = await post(url({ incidentId: 'IR-2026-0404', name: 'a' }), Buffer.from('x')).response;
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const noToken = await post(url({ incidentId: w.incidentId, name: 'a' }), Buffer.from('x'), { Authorization: 'Bearer wrong' }).response;
    expect(noToken).toMatchObject({ status: 401, body: { ok: false, error: { code: 'forbidden' } } });
    const asJson = await post(httpRoute('evidence.upload'), Buffer.from('{}'), { 'Content-Type': 'application/json' }).response;
    expect(asJson.status).toBe(415);
    expect(leftovers()).toEqual([]);
  });
});
