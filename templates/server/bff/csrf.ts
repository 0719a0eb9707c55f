import type { NextFunction, Request, Response } from 'express';

/** The header the generated interceptor adds to every same-origin /bff/ call. */
export const CSRF_HEADER = 'x-bff-csrf';

/**
 * Cross-site request forgery defence for every /bff/ call that is not a top-level navigation: it
 * must carry `x-bff-csrf: 1` (a header a page of another origin can only send after a CORS
 * preflight, which this server never grants), and its Origin and Sec-Fetch-Site, when the browser
 * sends them, must be this app's. Anything else is a 403.
 */
export function requireCsrfHeader(origin: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const fetchSite = req.get('sec-fetch-site');
    const requestOrigin = req.get('origin');
    const refused =
      req.get(CSRF_HEADER) !== '1'
        ? `missing ${CSRF_HEADER} header`
        : requestOrigin && requestOrigin !== origin
          ? `origin ${requestOrigin} is not ${origin}`
          : fetchSite && fetchSite !== 'same-origin'
            ? `sec-fetch-site ${fetchSite}`
            : undefined;
    if (refused) {
      res
        .status(403)
        .set('Cache-Control', 'no-store')
        .json({ error: 'forbidden', error_description: refused });
      return;
    }
    next();
  };
}
