// The API of the --bff proxy bench, in a process of its own (as a real API is: a call to it crosses
// a process boundary, direct or proxied alike).
//   node bench/lib/upstream-server.ts api <port> <slowMs>
//     GET /items: 200 with a small JSON body to a request with `Authorization: Bearer|DPoP …`, 401
//     otherwise; /slow…: the same after <slowMs> ms.
//   node bench/lib/upstream-server.ts hop <port> <apiPort>
//     the least a proxy can be: plain node:http, a kept-alive connection, the request passed on
//     with an Authorization header, the answer piped back; no framework, no session, no checks.
// Prints "listening" once it accepts connections.
import { Agent, createServer, request } from 'node:http';

const [mode, port, arg] = process.argv.slice(2);
const body = JSON.stringify({ items: Array.from({ length: 5 }, (_, i) => ({ id: i, name: `item ${i}` })) });
const agent = new Agent({ keepAlive: true });
const server = mode === 'hop'
  ? createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: Number(arg), path: req.url, method: req.method, agent,
      headers: { accept: req.headers.accept ?? '*/*', authorization: 'Bearer hop' } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? '', 'content-length': answer.headers['content-length'] ?? '0' });
      answer.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    upstream.end();
  })
  : createServer((req, res) => {
    const authorized = /^(Bearer|DPoP) .+/.test(req.headers.authorization ?? '');
    const answer = () => {
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.url?.startsWith('/slow')) setTimeout(answer, Number(arg));
    else answer();
  });
server.listen(Number(port), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));
