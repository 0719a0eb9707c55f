// The moving parts of the --bff scenario (e2e/scenarios/bff.ts): the built app's own server
// (`node dist/<app>/server/server.mjs`, one process per instance), a TLS front (https, self-signed,
// as a load balancer terminates TLS in production) whose backend can be switched between
// instances, Debian's redis-server on a free port, and plain requests to an instance.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer } from 'node:net';
import { selfSignedCert } from './tls.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    }).on('error', ko);
  });
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP request to 127.0.0.1:port (an instance, behind the TLS front), as the front would send it. */
export function call(port: number, path: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((ok, ko) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { data += d; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', ko);
    req.setTimeout(30000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.end(body);
  });
}

export interface TlsFront {
  port: number;
  /** The instance requests go to from now on. */
  target: number;
  close(): Promise<void>;
}

/** https://<host>:port → http://127.0.0.1:<target>, Host kept, X-Forwarded-Proto https. */
export async function startTlsFront(host: string, port: number, target: number): Promise<TlsFront> {
  const { key, cert } = await selfSignedCert([host, 'localhost', '127.0.0.1']);
  const front: TlsFront = { port, target, close: async () => {} };
  const server = createHttpsServer({ key, cert }, (req, res) => {
    const upstream = httpRequest({ host: '127.0.0.1', port: front.target, path: req.url, method: req.method,
      headers: { ...req.headers, 'x-forwarded-proto': 'https' } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    req.pipe(upstream);
  });
  await new Promise<void>((ok, ko) => server.once('error', ko).listen(port, ok));
  front.close = async () => { server.closeAllConnections(); await new Promise<void>((r) => server.close(() => r())); };
  return front;
}

export interface AppServer {
  port: number;
  output: string[];
  stop(): Promise<void>;
}

/** `node <serverMjs>` with PORT and `env`; resolves once it answers. */
export async function startAppServer(serverMjs: string, port: number, env: Record<string, string>): Promise<AppServer> {
  const child: ChildProcess = spawn(process.execPath, [serverMjs], {
    env: { ...process.env, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const take = (d: Buffer) => { output.push(String(d)); if (process.env.E2E_VERBOSE) process.stderr.write(`[app ${port}] ${d}`); };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const end = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app server on ${port} exited ${child.exitCode}: ${output.join('').slice(-2000)}`);
    if (await call(port, '/bff/none').then(() => true, () => false)) break;
    if (Date.now() > end) throw new Error(`app server on ${port} did not answer within 20 s: ${output.join('').slice(-2000)}`);
    await sleep(100);
  }
  return {
    port, output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface Redis {
  url: string;
  /** One command (raw RESP over a new connection), its reply as text. */
  command(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Debian's redis-server on a free port, no persistence. */
export async function startRedis(bin = process.env.E2E_REDIS_SERVER ?? '/usr/bin/redis-server'): Promise<Redis> {
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('error', () => {});
  const command = (...args: string[]) => resp(port, args);
  const end = Date.now() + 10000;
  for (;;) {
    if (await command('PING').then((r) => r === 'PONG', () => false)) break;
    if (child.exitCode !== null || Date.now() > end) throw new Error(`redis-server (${bin}) did not start on ${port}`);
    await sleep(100);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    command,
    async stop() { child.kill('SIGTERM'); await Promise.race([exited, sleep(5000)]); },
  };
}

/** One Redis command over RESP; the reply as text (arrays joined by newlines). */
function resp(port: number, args: string[]): Promise<string> {
  return new Promise((ok, ko) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => {
      data += d;
      const parsed = parseReply(data);
      if (parsed !== undefined) { socket.end(); ok(parsed); }
    });
    socket.on('error', ko);
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/** A complete RESP reply in `data` as text, or undefined while incomplete. */
function parseReply(data: string): string | undefined {
  const lines = data.split('\r\n');
  const first = lines[0];
  if (first === undefined || !data.includes('\r\n')) return undefined;
  const kind = first[0];
  if (kind === '+' || kind === '-' || kind === ':') return first.slice(1);
  if (kind === '$') return Number(first.slice(1)) < 0 ? '' : lines.length >= 3 ? lines[1] : undefined;
  if (kind === '*') {
    const n = Number(first.slice(1));
    const items: string[] = [];
    for (let i = 1; items.length < n; i += 2) {
      if (lines[i + 1] === undefined) return undefined;
      items.push(lines[i + 1]);
    }
    return items.join('\n');
  }
  return data;
}
