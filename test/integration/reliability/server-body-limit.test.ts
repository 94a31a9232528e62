import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { type RunningServer, startServer } from '../../../electron/server/server';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

function post(server: RunningServer, path: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, 'content-length': String(body.length) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser-mode server: a JSON body over the limit', () => {
  const dir = tempDir('fb-rel-413-');
  let core: Core;
  let server: RunningServer;
  beforeAll(async () => {
    const ui = join(dir.path, 'ui');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Firebreak</title>');
    core = testCore(join(dir.path, 'data'), { mode: 'browser' });
    server = await startServer({ core, staticDir: ui, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    core.close();
    dir.cleanup();
  });

  it('gets 413 with a message saying what the limit is, not a connection reset, and the server answers after', async () => {
    const note = 'x'.repeat(3 * 1024 * 1024);
    const r = await post(server, '/api/incidents.list', Buffer.from(JSON.stringify({ search: note })));
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({
      ok: false,
      error: { code: 'bad-input', message: "The request body is larger than 1 MiB, the limit for an Api call's JSON input." },
    });
    const after = await post(server, '/api/incidents.list', Buffer.from('{}'));
    expect(after.status).toBe(200);
  });
});
