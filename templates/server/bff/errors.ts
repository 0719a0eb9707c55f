import type { Response } from 'express';

/** A failure the browser sees as an HTTP status and a JSON body `{ error, error_description }`. */
export class BffError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(description);
  }
}

/** The session is over (signed out, expired, or the provider refused its refresh token): 401. */
export const sessionEnded = (why: string) => new BffError(401, 'session_ended', why);
/** The provider (or an upstream API) failed or did not answer in time; the session is kept: 502. */
export const providerUnavailable = (why: string) => new BffError(502, 'provider_unavailable', why);

export function sendError(res: Response, error: unknown): void {
  const known = error instanceof BffError ? error : undefined;
  if (!known) console.error('[bff]', error);
  res
    .status(known?.status ?? 500)
    .set('Cache-Control', 'no-store')
    .json({
      error: known?.code ?? 'server_error',
      error_description: known?.message ?? 'unexpected error',
    });
}
