import type { Request } from 'express';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Bff } from './context';
import { BffError } from './errors';
import { Session } from './sessions';
import { forwardedHeaders, UpstreamAnswer } from './upstream';

/** Connections to the APIs are kept open between calls. */
const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
};

/**
 * Sends the browser's call on to `target` with the session's access token (Bearer), the body
 * streamed; resolves with the API's answer, or rejects with a BffError (502, or 504 after the
 * deadline).
 */
export function callUpstream(
  bff: Bff,
  session: Session,
  target: URL,
  req: Request,
): Promise<UpstreamAnswer> {
  const headers = { ...forwardedHeaders(req), authorization: `Bearer ${session.accessToken}` };
  const timeoutMs = bff.config.requestTimeoutSeconds * 1000;
  const https = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const upstream = (https ? httpsRequest : httpRequest)(
      target,
      { method: req.method, headers, agent: https ? agents.https : agents.http },
      (answer) => {
        clearTimeout(deadline);
        resolve({
          status: answer.statusCode ?? 502,
          header: (name) => [answer.headers[name] ?? []].flat().join(', ') || undefined,
          body: answer,
        });
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
