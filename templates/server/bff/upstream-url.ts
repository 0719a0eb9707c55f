/**
 * The API URL for `/bff/api/<name>/<path>`: `path` (decoded segments) under the allow-listed
 * `base`, with the call's query. Undefined for an empty, `.` or `..` segment: nothing climbs out of
 * the base path.
 */
export function upstreamUrl(base: string, path: string[], search: string): URL | undefined {
  if (path.some((segment) => segment === '.' || segment === '..' || segment === ''))
    return undefined;
  const url = new URL(base);
  const root = url.pathname.replace(/\/$/, '');
  url.pathname = path.length ? `${root}/${path.map(encodeURIComponent).join('/')}` : url.pathname;
  url.search = search;
  return url;
}
