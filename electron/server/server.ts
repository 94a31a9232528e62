import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type Core, PREVIEW_CSP, PreviewStore } from '../core/index';
import { HTTP_API_PREFIX, PREVIEW_OPEN_PATH, PREVIEW_SHOW_PREFIX } from '../shared/contract/index';
import { serveApiCall } from './api-route';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, readJson, refuse, send } from './http';

export { CONTENT_SECURITY_POLICY };

export interface ServeOptions {
  core: Core;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  /** 0 picks any free port. */
  port?: number;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Browser mode: the built UI and the Api over HTTP, on 127.0.0.1 only. Every request must name this server as its
 * Host (no DNS rebinding); every Api call (uploads too) must carry the per-run token; a request from another Origin is
 * refused; no CORS.
 */
export function startServer(o: ServeOptions): Promise<RunningServer> {
  const token = o.token ?? randomBytes(32).toString('base64url');
  const root = resolve(o.staticDir);
  let port = 0;

  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  const serveStatic = (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET here');
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return refuse(res, 400, 'malformed path');
    }
    const candidate = normalize(join(root, rel));
    if (candidate !== root && !candidate.startsWith(root + sep)) return refuse(res, 403, 'outside the UI folder');
    let file = candidate;
    let st = statOrNull(file);
    if (!st || !st.isFile()) {
      // Client-side routes fall back to the app shell; missing assets are 404.
      if (extname(rel)) return refuse(res, 404, 'not found');
      file = join(root, 'index.html');
      st = statOrNull(file);
      if (!st) return refuse(res, 500, `the UI is not built (no ${file}); run npm run build`);
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(st.size),
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  /**
   * The checks every state-reading or state-changing request passes, Api call or upload alike: the session token, then
   * (for writes) a same-origin Origin and no cross-site fetch. Returns false after answering a refused request.
   */
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (!tokenMatches(given, token)) {
      refuse(res, 401, 'missing or wrong session token');
      return false;
    }
    if (req.method !== 'POST') {
      refuse(res, 405, 'Api calls and uploads are POST');
      return false;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      refuse(res, 403, `cross-origin request from ${origin}`);
      return false;
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      refuse(res, 403, 'cross-site request');
      return false;
    }
    return true;
  };

  const previews = new PreviewStore();
  /** Renders a report preview with the Api (same checks) and answers the URL its sandboxed frame loads. */
  const openPreview = async (req: IncomingMessage, res: ServerResponse) => {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      return send(res, 400, { ok: false, error: { code: 'bad-input', message: (e as Error).message } });
    }
    const r = await o.core.call('reports.preview', body);
    if (!r.ok) return send(res, 200, r);
    const id = previews.put((r.value as { html: string }).html);
    send(res, 200, { ok: true, value: { url: `${PREVIEW_SHOW_PREFIX}${id}` } });
  };

  const server = createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return refuse(res, 403, `unexpected Host "${host}"`);
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (url.pathname === PREVIEW_OPEN_PATH) {
      if (!admit(req, res)) return;
      openPreview(req, res).catch((e: unknown) => {
        o.log?.(`preview error: ${(e as Error)?.stack ?? String(e)}`);
        if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } });
      });
      return;
    }
    if (url.pathname.startsWith(PREVIEW_SHOW_PREFIX) && req.method === 'GET') {
      const html = previews.get(url.pathname.slice(PREVIEW_SHOW_PREFIX.length));
      if (!html) return refuse(res, 404, 'this preview has expired; open it again');
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': PREVIEW_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      res.end(html);
      return;
    }
    if (url.pathname.startsWith(HTTP_API_PREFIX)) {
      if (!admit(req, res)) return;
      serveApiCall(o.core, req, res, url).catch((e: unknown) => {
        o.log?.(`api error: ${(e as Error)?.stack ?? String(e)}`);
        if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } });
      });
      return;
    }
    serveStatic(req, res, url.pathname);
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // uploads of large evidence files may take long; headers must still come quickly

  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, HOST, () => {
      port = (server.address() as AddressInfo).port;
      resolveServer({
        url: `http://${HOST}:${port}/#token=${token}`,
        port,
        token,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
