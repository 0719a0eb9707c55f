import type { Request, Response } from 'express';
import { Bff } from './context';
import { BffError, sendError, sessionEnded } from './errors';
import { callUpstream } from './upstream-call';
import { upstreamUrl } from './upstream-url';

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
    const answer = await callUpstream(bff, session, target, req);
    res.status(answer.status);
    for (const name of RESPONSE_HEADERS) {
      const value = answer.header(name);
      if (value !== undefined) res.setHeader(name, value);
    }
    answer.body.pipe(res);
  } catch (error) {
    sendError(res, error);
  }
}
