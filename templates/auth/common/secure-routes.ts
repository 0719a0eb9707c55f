/**
 * Whether a request to `url` may carry the access token: `url` has the exact origin of one of
 * `secureRoutes` and its path continues that route's path at a segment boundary. Never a string
 * prefix: `https://api.example.com` must not match `https://api.example.com.evil.com` or
 * `https://api.example.com@evil.com`, nor `/` match `//evil.com`. Relative URLs and routes are
 * resolved against the app's base URL.
 */
export function isSecureRoute(url: string, secureRoutes: readonly string[], base: string): boolean {
  const target = parse(url, base);
  return (
    target !== null &&
    secureRoutes.some((route) => {
      const allowed = parse(route, base);
      if (!allowed || allowed.origin !== target.origin) return false;
      const path = allowed.pathname.replace(/\/+$/, '');
      return target.pathname === path || target.pathname.startsWith(path + '/');
    })
  );
}

function parse(url: string, base: string): URL | null {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : null;
  } catch {
    return null;
  }
}
