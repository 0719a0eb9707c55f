import type { Request } from 'express';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import * as client from 'openid-client';
import { Bff } from './context';
import { DeadlineError, withDeadline } from './deadline';
import { dpopHandle } from './dpop';
import { BffError, sessionEnded } from './errors';
import { Session } from './sessions';
import { forwardedHeaders, UpstreamAnswer } from './upstream';

/** The largest body a proxied call may carry: it is read whole, to be sent again if the API asks for a DPoP nonce. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Configurations that allow plain http, for APIs listed with an http:// URL (the provider's stays as it is). */
const plainHttp = new WeakMap<client.Configuration, client.Configuration>();

/**
 * Sends the browser's call on to `target` with the session's access token and a DPoP proof signed
 * with the session's key (through openid-client, which retries once with the API's nonce when it
 * asks for one); resolves with the API's answer, or rejects with a BffError (502, or 504 after the
 * deadline).
 */
export async function callUpstream(
  bff: Bff,
  session: Session,
  target: URL,
  req: Request,
): Promise<UpstreamAnswer> {
  if (!session.dpopKey) throw sessionEnded('the session has no DPoP key: sign in again');
  const timeoutMs = bff.config.requestTimeoutSeconds * 1000;
  const headers = new Headers(forwardedHeaders(req));
  headers.delete('content-length');
  headers.set('accept-encoding', 'identity'); // the body goes back to the browser as the API sent it
  const body = await bodyOf(req);
  let response: Response;
  try {
    const configuration = await bff.provider.configuration();
    const DPoP = await dpopHandle(configuration, session.dpopKey);
    response = await withDeadline(
      client.fetchProtectedResource(
        forTarget(configuration, target),
        session.accessToken,
        target,
        req.method,
        body,
        headers,
        { DPoP },
      ),
      timeoutMs,
      target.host,
    );
  } catch (error) {
    // A 401 with a challenge (after the nonce retry) is the API's answer, passed on as it is.
    if (!(error instanceof client.WWWAuthenticateChallengeError))
      throw upstreamFailure(target, error, timeoutMs);
    response = error.response;
  }
  return {
    status: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    // The DOM's and Node's typings of the same web stream differ (ArrayBuffer views).
    body: response.body
      ? Readable.fromWeb(response.body as unknown as NodeReadableStream)
      : Readable.from([]),
  };
}

function upstreamFailure(target: URL, error: unknown, timeoutMs: number): BffError {
  const late = error instanceof DeadlineError || (error as Error).name === 'TimeoutError';
  return late
    ? new BffError(504, 'upstream_timeout', `${target.host}: no answer within ${timeoutMs} ms`)
    : new BffError(502, 'upstream_unavailable', `${target.host}: ${(error as Error).message}`);
}

/** The request body, read whole (none for GET and HEAD); 413 when it is larger than MAX_BODY_BYTES. */
async function bodyOf(req: Request): Promise<Uint8Array | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new BffError(413, 'request_too_large', `more than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function forTarget(configuration: client.Configuration, target: URL): client.Configuration {
  if (target.protocol !== 'http:') return configuration;
  let copy = plainHttp.get(configuration);
  if (!copy) {
    copy = new client.Configuration(
      configuration.serverMetadata(),
      configuration.clientMetadata().client_id,
    );
    copy.timeout = configuration.timeout;
    client.allowInsecureRequests(copy);
    plainHttp.set(configuration, copy);
  }
  return copy;
}
