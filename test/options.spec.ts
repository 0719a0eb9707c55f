import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveOptions } from '../src/render/options';

/** The option rules themselves, for callers that bypass the CLI's own argument parsing. */
describe('resolveOptions', () => {
  const base = { authority: 'https://id.example.com', clientId: 'spa' };

  it('fills the defaults of schema.json', () => {
    expect(resolveOptions(base)).toEqual({
      authority: 'https://id.example.com',
      clientId: 'spa',
      flow: 'code',
      renewal: 'refresh-token',
      renewBefore: 30,
      scope: 'openid profile email offline_access',
      storage: 'session',
      dpop: false,
      bff: false,
      provider: 'generic',
      audience: '',
      skipTests: undefined,
      skipInstall: false,
    });
  });

  it('--dpop needs the token endpoint: code flow with refresh-token renewal only', () => {
    expect(resolveOptions({ ...base, dpop: true }).dpop).toBe(true);
    for (const other of [{ renewal: 'iframe' as const }, { flow: 'implicit' as const, renewal: 'iframe' as const }]) {
      expect(() => resolveOptions({ ...base, ...other, dpop: true })).toThrowError(
        '--dpop binds tokens at the token endpoint, which implicit and iframe renewal do not use: ' +
          'use it with --flow code --renewal refresh-token.');
    }
  });

  it('keeps the authority exactly as given, trailing slash included', () => {
    const issuer = 'https://h.example.com/application/o/app/';
    expect(resolveOptions({ ...base, authority: issuer }).authority).toBe(issuer);
    expect(resolveOptions({ ...base, authority: 'https://id.example.com/' }).authority).toBe('https://id.example.com/');
  });

  it('asks no offline_access for iframe renewal', () => {
    expect(resolveOptions({ ...base, renewal: 'iframe' }).scope).toBe('openid profile email');
  });

  it('accepts http for localhost only', () => {
    expect(resolveOptions({ ...base, authority: 'http://localhost:9000' }).authority).toBe('http://localhost:9000');
    expect(resolveOptions({ ...base, authority: 'http://127.0.0.1:9000/realms/x' }).authority).toBe('http://127.0.0.1:9000/realms/x');
    expect(resolveOptions({ ...base, authority: 'http://[::1]:9000/' }).authority).toBe('http://[::1]:9000/');
    expect(() => resolveOptions({ ...base, authority: 'http://localhost.example.com' }))
      .toThrowError('--authority must use https (http only for localhost); got "http://localhost.example.com".');
  });

  it('refuses an authority the schema pattern refuses, with its own message', () => {
    expect(() => resolveOptions({ ...base, authority: 'id.example.com' }))
      .toThrowError('--authority "id.example.com" is not a URL; give the issuer URL, e.g. https://id.example.com');
    expect(() => resolveOptions({ ...base, authority: ' https://id.example.com' }))
      .toThrowError('--authority " https://id.example.com" is not a URL; give the issuer URL, e.g. https://id.example.com');
    expect(() => resolveOptions({ ...base, authority: 'ftp://x' }))
      .toThrowError('--authority must use https (http only for localhost); got "ftp://x".');
    expect(() => resolveOptions({ ...base, authority: 'https://id.example.com/?tenant=1' }))
      .toThrowError('--authority must not have a query or fragment; got "https://id.example.com/?tenant=1".');
    expect(() => resolveOptions({ ...base, authority: 'https://id.example.com/#' }))
      .toThrowError('--authority must not have a query or fragment; got "https://id.example.com/#".');
  });

  it('refuses implicit with refresh-token renewal (a rule across two options)', () => {
    expect(() => resolveOptions({ ...base, flow: 'implicit', renewal: 'refresh-token' }))
      .toThrowError('--flow implicit has no refresh tokens: use --renewal iframe, or --flow code for refresh-token renewal.');
    expect(() => resolveOptions({ ...base, flow: 'implicit' })).toThrowError(/--flow implicit has no refresh tokens/);
    expect(resolveOptions({ ...base, flow: 'implicit', renewal: 'iframe' }).flow).toBe('implicit');
  });

  it('rejects a scope without openid and values that would break the generated code', () => {
    expect(() => resolveOptions({ ...base, scope: 'profile' })).toThrowError('--scope must include "openid"; got "profile".');
    expect(() => resolveOptions({ ...base, clientId: "o'brien" }))
      .toThrowError(`--client-id must not contain quotes, backslashes or line breaks; got "o'brien".`);
  });

  it('refuses a renew-before that is not a whole number of seconds, 0 or more', () => {
    expect(resolveOptions({ ...base, renewBefore: 0 }).renewBefore).toBe(0);
    expect(resolveOptions({ ...base, renewBefore: 10 }).renewBefore).toBe(10);
    expect(() => resolveOptions({ ...base, renewBefore: 2.5 }))
      .toThrowError('--renew-before must be a whole number of seconds, 0 or more; got 2.5.');
    expect(() => resolveOptions({ ...base, renewBefore: -1 }))
      .toThrowError('--renew-before must be a whole number of seconds, 0 or more; got -1.');
  });
});

describe('schema.json options', () => {
  // The Angular CLI's argument parser (ng add, ng generate) knows boolean, number and string
  // options (and arrays of them); an option of any other type, `integer` included, is not an
  // argument it accepts: "Unknown argument", or silently dropped by ng add.
  it('every option has a type the Angular CLI parses on its command line', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schematics', 'auth-renew', 'schema.json'), 'utf8'));
    const unparsed = Object.entries(schema.properties as Record<string, { type?: string }>)
      .filter(([, property]) => !['boolean', 'number', 'string', 'array'].includes(property.type ?? ''))
      .map(([name, property]) => `${name}: ${property.type}`);
    expect(unparsed).toEqual([]);
  });
});
