import { posix } from 'node:path';

/** The workspace path (no extension) a relative specifier of `file` points at; undefined for packages. */
export function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) {
    return undefined;
  }
  return posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.[cm]?[jt]s$/, '');
}

/** `module` (workspace path, no extension) as seen from `file`: `./auth/provide-auth`. */
export function specifierFor(file: string, module: string): string {
  const path = posix.relative(posix.dirname(file), module);
  return path.startsWith('.') ? path : `./${path}`;
}
