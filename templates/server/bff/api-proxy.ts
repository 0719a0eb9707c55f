import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { Bff } from './context';
import { BffError, sendError, sessionEnded } from './errors';
import { upstreamUrl } from './upstream-url';

/** Request headers passed on to the API; everything else (cookies above all) stays here. */
const REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
];
/** Response headers passed back to the browser. */
const RESPONSE_HEADERS = [
  'content-type',
  'etag',
  'last-modified',
  'location',
  'www-authenticate',
  'retry-after',
];

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
    const search = req.originalUrl.includes('?')
      ? req.originalUrl.slice(req.originalUrl.indexOf('?'))
      : '';
    const target = base ? upstreamUrl(base, Array.isArray(rest) ? rest : [], search) : undefined;
    if (!target) throw new BffError(404, 'not_found', `no API "${name}" here`);
    const found = await bff.sessions.fromRequest(req);
    if (!found) throw sessionEnded('not signed in');
    const session = await bff.refresh.freshSession(found);
    const headers = new Headers({ authorization: `Bearer ${session.accessToken}` });
    for (const header of REQUEST_HEADERS) {
      const value = req.get(header);
      if (value) headers.set(header, value);
    }
    const hasBody = !['GET', 'HEAD'].includes(req.method);
    let answer: globalThis.Response;
    try {
      answer = await fetch(target, {
        method: req.method,
        headers,
        body: hasBody ? (Readable.toWeb(req) as unknown as BodyInit) : undefined,
        duplex: hasBody ? 'half' : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(bff.config.requestTimeoutSeconds * 1000),
      } as RequestInit);
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new BffError(
        timedOut ? 504 : 502,
        'upstream_unavailable',
        `${name}: ${timedOut ? 'no answer in time' : String(error)}`,
      );
    }
    res.status(answer.status);
    for (const header of RESPONSE_HEADERS) {
      const value = answer.headers.get(header);
      if (value) res.set(header, value);
    }
    if (!answer.body) {
      res.end();
      return;
    }
    Readable.fromWeb(answer.body as ReadableStream).pipe(res);
  } catch (error) {
    sendError(res, error);
  }
}
