import type { Request } from 'express';
import type { Readable } from 'node:stream';

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

/** What an API answered: the proxy passes its status, a few headers and the body on. */
export interface UpstreamAnswer {
  status: number;
  header(name: string): string | undefined;
  body: Readable;
}

/** The headers of the browser's call that go on to the API. */
export function forwardedHeaders(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = req.get(name);
    if (value) headers[name] = value;
  }
  return headers;
}
