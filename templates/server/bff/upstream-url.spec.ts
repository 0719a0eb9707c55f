// @vitest-environment node
import { upstreamUrl } from './upstream-url';

describe('upstreamUrl (API proxy allow-list)', () => {
  it('puts the path under the base, with the query', () => {
    expect(upstreamUrl('https://api.example.com/v1', ['orders', '42'], '?x=1')?.href).toBe(
      'https://api.example.com/v1/orders/42?x=1',
    );
    expect(upstreamUrl('https://api.example.com/v1/', [], '')?.href).toBe(
      'https://api.example.com/v1/',
    );
  });

  it('encodes each segment, so none adds a path or a query', () => {
    expect(upstreamUrl('https://api.example.com/v1', ['a/b?c'], '')?.href).toBe(
      'https://api.example.com/v1/a%2Fb%3Fc',
    );
  });

  it('refuses dot and empty segments: nothing climbs out of the base', () => {
    expect(upstreamUrl('https://api.example.com/v1', ['..', 'admin'], '')).toBeUndefined();
    expect(upstreamUrl('https://api.example.com/v1', ['.'], '')).toBeUndefined();
    expect(upstreamUrl('https://api.example.com/v1', ['a', '', 'b'], '')).toBeUndefined();
  });
});
