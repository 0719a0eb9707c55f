import type { Request, Response } from 'express';
import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Bff } from './context';
import { BffError, sendError, sessionEnded } from './errors';
import { upstreamUrl } from './upstream-url';

/** Request headers passed on to the API; everything else (cookies above all) stays here. */
const REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
  'if-modified-since',
];
/** Response headers passed back to the browser. */
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'location',
  'www-authenticate',
  'retry-after',
];
/** Connections to the APIs are kept open between calls. */
const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
};

/** Sends the call on with `token`; resolves with the API's answer (its headers), or rejects with a BffError. */
function send(
  target: URL,
  req: Request,
  token: string,
  timeoutMs: number,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  for (const name of REQUEST_HEADERS) {
    const value = req.get(name);
    if (value) headers[name] = value;
  }
  const https = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const upstream = (https ? httpsRequest : httpRequest)(
      target,
      { method: req.method, headers, agent: https ? agents.https : agents.http },
      (answer) => {
        clearTimeout(deadline);
        resolve(answer);
      },
    );
    const deadline = setTimeout(() => {
      upstream.destroy();
      reject(
        new BffError(504, 'upstream_timeout', `${target.host}: no answer within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    upstream.on('error', (error) => {
      clearTimeout(deadline);
      reject(new BffError(502, 'upstream_unavailable', `${target.host}: ${error.message}`));
    });
    if (req.method === 'GET' || req.method === 'HEAD') upstream.end();
    else req.pipe(upstream);
  });
}

/**
 * ALL /bff/api/:name/*path: the call, with the session's access token (renewed first when it is
 * about to expire), to the API named `name` in `upstreams`; no other destination is reachable.
 * The answer comes back as it is (status, body, a few headers), never cached by the browser.
 */
export async function apiProxy(bff: Bff, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'private, no-store');
  try {
    const name = String(req.params['name']);
    const base = Object.hasOwn(bff.config.upstreams, name) ? bff.config.upstreams[name] : undefined;
    const rest = req.params['path'];
    const query = req.originalUrl.indexOf('?');
    const search = query >= 0 ? req.originalUrl.slice(query) : '';
    const target = base ? upstreamUrl(base, Array.isArray(rest) ? rest : [], search) : undefined;
    if (!target) throw new BffError(404, 'not_found', `no API "${name}" here`);
    const found = await bff.sessions.fromRequest(req);
    if (!found) throw sessionEnded('not signed in');
    const session = await bff.refresh.freshSession(found);
    const answer = await send(
      target,
      req,
      session.accessToken,
      bff.config.requestTimeoutSeconds * 1000,
    );
    res.status(answer.statusCode ?? 502);
    for (const name of RESPONSE_HEADERS) {
      const value = answer.headers[name];
      if (value !== undefined) res.setHeader(name, value);
    }
    answer.pipe(res);
  } catch (error) {
    sendError(res, error);
  }
}
