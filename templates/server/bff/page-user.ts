import type { NextFunction, Request, Response } from 'express';
import { Bff } from './context';
import { userOf } from './user';

/**
 * The request header through which the server-rendered app learns the user (read by the generated
 * AuthService from Angular's REQUEST). Only this middleware sets it: a copy sent by a client is
 * always removed first.
 */
export const USER_HEADER = 'x-bff-user';

/** Page requests (HTML) get the signed-in user for server rendering; assets and API calls are left alone. */
export function pageUser(ready: () => Promise<Bff>) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    delete req.headers[USER_HEADER];
    if (req.method !== 'GET' || !(req.get('accept') ?? '').includes('text/html')) {
      next();
      return;
    }
    // Not configured yet, or the store is unreachable: the page renders signed out (the /bff/
    // endpoints answer 503 and say why).
    const bff = await ready().catch(() => undefined);
    try {
      const found = bff ? await userOf(bff, req) : null;
      if (found)
        req.headers[USER_HEADER] = Buffer.from(JSON.stringify(found)).toString('base64url');
    } catch (error) {
      console.error('[bff] session lookup for server rendering failed:', error);
    }
    next();
  };
}
