import express, { NextFunction, Request, Response, Router } from 'express';
import { apiProxy } from './api-proxy';
import { backchannelLogout } from './backchannel-logout';
import { BffConfig, bffConfig } from './bff.config';
import { callback } from './callback';
import { Bff, createBff } from './context';
import { requireCsrfHeader } from './csrf';
import { sendError } from './errors';
import { login } from './login';
import { logout } from './logout';
import { pageUser } from './page-user';
import { user } from './user';

type Handler = (bff: Bff, req: Request, res: Response) => Promise<void>;

/**
 * The backend for frontend, as Express middleware: `app.use(bff())` in server.ts, before the static
 * files and the Angular handler. Serves /bff/login, /bff/callback, /bff/logout, /bff/user,
 * /bff/backchannel-logout and the API proxy /bff/api/<name>/..., and tells server rendering who is
 * signed in. Until its settings are complete (see bff.config.ts), its endpoints answer 503.
 */
export function bff(config: BffConfig = bffConfig): Router {
  let started: Promise<Bff> | undefined;
  const ready = () => {
    // Made at the first request; after a failure (a missing setting, Redis down), again at the next.
    started ??= createBff(config).catch((error: unknown) => {
      started = undefined;
      throw error;
    });
    return started;
  };
  const handle =
    (handler: Handler) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      let context: Bff;
      try {
        context = await ready();
      } catch (error) {
        console.error(`[bff] not ready: ${error instanceof Error ? error.message : error}`);
        res.status(503).set('Cache-Control', 'no-store').json({
          error: 'bff_unavailable',
          error_description: 'not configured or not reachable: see the server log',
        });
        return;
      }
      try {
        await handler(context, req, res);
      } catch (error) {
        if (res.headersSent) next(error);
        else sendError(res, error);
      }
    };

  const api = Router();
  api.get('/login', handle(login));
  api.get('/callback', handle(callback));
  api.post(
    '/backchannel-logout',
    express.urlencoded({ extended: false, limit: '16kb' }),
    handle(backchannelLogout),
  );
  // Everything else is called by the app's scripts, never navigated to: CSRF header and origin checked.
  api.use(requireCsrfHeader(config.origin ? new URL(config.origin).origin : 'null'));
  api.get('/user', handle(user));
  api.post('/logout', handle(logout));
  api.all('/api/:name{/*path}', handle(apiProxy));
  api.use((_req: Request, res: Response) => {
    res
      .status(404)
      .set('Cache-Control', 'no-store')
      .json({ error: 'not_found', error_description: 'no such BFF endpoint' });
  });

  const router = Router();
  router.use(config.basePath, api);
  router.use(pageUser(ready));
  return router;
}
