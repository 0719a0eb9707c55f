// A tiny static server for a built Angular app (dist/<app>/browser), with SPA fallback to index.html,
// an optional strict Content-Security-Policy, and an optional base path (an app built with
// `ng build --base-href /portal/` served under /portal/; other paths are 404).
//
//   node e2e/static-server.ts --root e2e/.work/x/dist/x/browser --port 4200 [--base /portal/] [--csp --provider http://localhost:9000]
//
// In process:  const s = await startStatic({ root, port, csp: true, providers: [issuerOrigin] }); s.requests; await s.close();
import { createServer } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The strict policy of the CSP scenario: no inline script anywhere, the provider only as frame/connect. */
export function strictCsp(providers: string[] = []): string {
  const p = providers.map((u) => new URL(u).origin).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${p}`.trim(),
    `frame-src 'self' ${p}`.trim(),
    "base-uri 'self'",
    "object-src 'none'",
    `form-action 'self' ${p}`.trim(),
  ].join('; ');
}

export interface StaticOptions {
  root: string;
  port: number;
  /** true = strictCsp(o.providers); a string = that policy */
  csp?: boolean | string;
  providers?: string[];
  /** URL path the app is served under, '/' (default) or e.g. '/portal/' */
  base?: string;
}

/** One request the server answered (any path, before the SPA fallback). */
export interface StaticRequest {
  t: number;
  method: string | undefined;
  path: string;
  query: string;
}

export interface StaticServer {
  origin: string;
  csp: string | null;
  requests: StaticRequest[];
  close(): Promise<void>;
}

export async function startStatic(o: StaticOptions): Promise<StaticServer> {
  const root = resolve(o.root);
  statSync(join(root, 'index.html'));
  const csp = o.csp === true ? strictCsp(o.providers) : (o.csp || null);
  const requests: StaticRequest[] = [];
  const base = o.base ?? '/';
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`base ${base}: a path that starts and ends with /`);

  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x'); // always set on a server's request
    requests.push({ t: Date.now(), method: req.method, path: url.pathname, query: url.search });
    if (!`${url.pathname}/`.startsWith(base)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const path = decodeURIComponent(`/${url.pathname.slice(base.length)}`);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let st;
    try {
      st = statSync(file);
      if (st.isDirectory()) {
        file = join(file, 'index.html');
        st = statSync(file);
      }
    } catch {
      // SPA fallback: an extension-less path is a route; a missing asset is a 404.
      if (extname(path) && extname(path) !== '.html') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      file = join(root, 'index.html');
      st = statSync(file);
    }
    const headers: OutgoingHttpHeaders = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': 'no-cache',
    };
    if (csp && extname(file) === '.html') headers['content-security-policy'] = csp;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(o.port, ok);
  });
  return {
    origin: `http://localhost:${o.port}`,
    csp,
    requests,
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const a = process.argv.slice(2);
  const get = (k: string): string | undefined => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : undefined; };
  const providers = a.flatMap((v, i) => (a[i - 1] === '--provider' ? [v] : []));
  const root = get('--root');
  if (!root) throw new Error('usage: node e2e/static-server.ts --root <dir> [--port 4200] [--csp --provider URL]');
  const s = await startStatic({ root, port: Number(get('--port') ?? 4200), csp: a.includes('--csp'), providers, base: get('--base') });
  console.log(`serving ${root} at ${s.origin}${get('--base') ?? '/'}${s.csp ? ` with CSP: ${s.csp}` : ''}`);
}
