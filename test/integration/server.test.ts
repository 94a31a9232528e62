import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core';
import { type RunningServer, startServer } from '../../electron/server/server';
import { testCore } from '../helpers/core';
import { tempDir } from '../helpers/temp';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(port: number, path: string, o: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: o.host ?? '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('browser-mode server security', () => {
  let dir: ReturnType<typeof tempDir>;
  let core: Core;
  let server: RunningServer;
  let api: (method: string, body: unknown, headers?: Record<string, string>) => Promise<Reply>;

  beforeAll(async () => {
    dir = tempDir();
    const ui = join(dir.path, 'ui');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Firebreak</title>');
    writeFileSync(join(dir.path, 'secret.txt'), 'SECRET-OUTSIDE-UI-7f3a');
    core = testCore(join(dir.path, 'data'), { operator: undefined, mode: 'browser' });
    server = await startServer({ core, staticDir: ui, port: 0 });
    api = (method, body, headers = {}) =>
      send(server.port, `/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers },
        body: JSON.stringify(body),
      });
  });
  afterAll(async () => {
    await server.close();
    core.close();
    dir.cleanup();
  });

  it('prints a loopback URL with the token in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=[A-Za-z0-9_-]{43}$`));
  });

  it('answers 401 to an Api call without the token, or with a wrong one', async () => {
    const none = await send(server.port, '/api/incidents.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect((await api('incidents.list', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await api('incidents.list', {})).status).toBe(200);
  });

  it('answers 403 to a foreign Host (DNS rebinding), even with the token', async () => {
    const r = await api('incidents.list', {}, { host: `attacker.example:${server.port}` });
    expect(r.status).toBe(403);
    expect((await send(server.port, '/', { headers: { host: 'attacker.example' } })).status).toBe(403);
    expect((await send(server.port, '/', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('rejects a cross-origin write and sends no CORS headers', async () => {
    const r = await api('session.setOperator', { name: 'x', role: 'y' }, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const same = await api('session.setOperator', { name: 'Dana', role: 'IR lead' }, { origin: `http://127.0.0.1:${server.port}` });
    expect(JSON.parse(same.body)).toEqual({ ok: true, value: { name: 'Dana', role: 'IR lead' } });
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses form posts and other content types (no simple-request CSRF)', async () => {
    const r = await send(server.port, '/api/session.setOperator', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${server.token}` },
      body: 'name=x&role=y',
    });
    expect(r.status).toBe(415);
  });

  it('validates input and returns the envelope', async () => {
    const r = JSON.parse((await api('incidents.get', { id: '../../etc/passwd' })).body);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-input', details: [expect.stringMatching(/^id: an incident id looks like/)] } });
    const bad = await send(server.port, '/api/incidents.list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
  });

  it('serves the UI with a strict CSP and never a file outside its folder', async () => {
    const page = await send(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/../../secret.txt']) {
      const r = await send(server.port, path);
      expect(r.body).not.toContain('SECRET-OUTSIDE-UI-7f3a');
    }
  });

  it('streams an evidence upload only with the token and from its own origin', async () => {
    await api('session.setOperator', { name: 'Dana', role: 'IR lead' });
    const created = JSON.parse((await api('incidents.create', { playbookId: 'agent-destructive-action' })).body);
    const id = created.value.id as string;
    const body = 'AKIA-looking text is not needed here; just bytes\n'.repeat(1000);
    const input = JSON.stringify({ incidentId: id, name: 'agent trace.log' });
    const path = `/api/evidence.upload?input=${encodeURIComponent(input)}`;
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(Buffer.byteLength(body)) };

    expect((await send(server.port, path, { method: 'POST', headers, body })).status).toBe(401);
    const foreign = await send(server.port, path, { method: 'POST', headers: { ...headers, authorization: `Bearer ${server.token}`, origin: 'https://evil.example' }, body });
    expect(foreign.status).toBe(403);

    const ok = await send(server.port, path, { method: 'POST', headers: { ...headers, authorization: `Bearer ${server.token}` }, body });
    expect(ok.status).toBe(200);
    const item = JSON.parse(ok.body).value;
    expect(item).toMatchObject({ name: 'agent trace.log', size: Buffer.byteLength(body), sha256: createHash('sha256').update(body).digest('hex') });
  });

  it('answers every refusal in the envelope with one of the Api\'s error codes', async () => {
    const codes = ['bad-input', 'not-found', 'conflict', 'no-operator', 'gate-not-met', 'check-failed', 'cancelled', 'unavailable', 'forbidden', 'internal'];
    const refusals = [
      await send(server.port, '/api/incidents.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      await api('incidents.list', {}, { host: `attacker.example:${server.port}` }),
      await api('session.setOperator', { name: 'x', role: 'y' }, { origin: 'https://evil.example' }),
      await send(server.port, '/api/incidents.list', { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${server.token}` }, body: '{}' }),
      await send(server.port, '/assets/missing.js'),
      await api('no.such.method', {}),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 403, 403, 415, 404, 404]);
    for (const r of refusals) expect(codes).toContain(JSON.parse(r.body).error.code);
    expect(JSON.parse(refusals[0]!.body).error.code).toBe('forbidden');
  });

  it('does not carry a method only the CLI may call (one that writes where its caller says)', async () => {
    const r = await api('reports.writeBundle', { id: 'IR-2026-0001', out: join(dir.path, 'written-by-a-page.zip') });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('only the CLI') } });
  });

  it('is not reachable on any address but loopback', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of external) {
      await expect(send(server.port, '/', { host: address })).rejects.toThrow(/ECONNREFUSED/);
    }
  });
});
