import { resolveOptions } from '../src/options';

/** The option rules themselves, for callers that bypass the CLI's own argument parsing. */
describe('resolveOptions', () => {
  const base = { authority: 'https://id.example.com/', clientId: 'spa' };

  it('fills the defaults of DESIGN.md and trims the authority', () => {
    expect(resolveOptions(base)).toEqual({
      authority: 'https://id.example.com',
      clientId: 'spa',
      flow: 'code',
      renewal: 'refresh-token',
      renewBefore: 30,
      scope: 'openid profile email offline_access',
      storage: 'session',
      skipTests: false,
      skipInstall: false,
    });
  });

  it('asks no offline_access for iframe renewal', () => {
    expect(resolveOptions({ ...base, renewal: 'iframe' }).scope).toBe('openid profile email');
  });

  it('accepts http for localhost only', () => {
    expect(resolveOptions({ ...base, authority: 'http://localhost:9000' }).authority).toBe('http://localhost:9000');
    expect(resolveOptions({ ...base, authority: 'http://127.0.0.1:9000/realms/x' }).authority).toBe('http://127.0.0.1:9000/realms/x');
    expect(() => resolveOptions({ ...base, authority: 'http://localhost.example.com' })).toThrowError(/must use https/);
  });

  it('rejects enum values outside the schema', () => {
    expect(() => resolveOptions({ ...base, flow: 'hybrid' })).toThrowError('--flow must be one of code, implicit; got "hybrid".');
    expect(() => resolveOptions({ ...base, storage: 'cookie' })).toThrowError(/--storage must be one of session, local, memory/);
  });

  it('rejects renew-before that is not a whole number of seconds', () => {
    expect(() => resolveOptions({ ...base, renewBefore: 'soon' })).toThrowError(/--renew-before must be a whole number/);
    expect(() => resolveOptions({ ...base, renewBefore: 1.5 })).toThrowError(/--renew-before must be a whole number/);
    expect(resolveOptions({ ...base, renewBefore: '45' }).renewBefore).toBe(45);
  });

  it('rejects a scope without openid and values that would break the generated code', () => {
    expect(() => resolveOptions({ ...base, scope: 'profile' })).toThrowError(/--scope must include "openid"/);
    expect(() => resolveOptions({ ...base, clientId: "o'brien" })).toThrowError(/--client-id must not contain quotes/);
  });
});
