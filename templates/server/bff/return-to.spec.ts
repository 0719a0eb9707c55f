// @vitest-environment node
import { safeReturnTo } from './return-to';

describe('safeReturnTo (no open redirect after sign-in)', () => {
  it('keeps a path of this app, with its query and fragment', () => {
    expect(safeReturnTo('/orders?id=1#top')).toBe('/orders?id=1#top');
    expect(safeReturnTo('/')).toBe('/');
  });

  it('turns anything else into /', () => {
    for (const value of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/a\nb',
      '/a\u0000b',
      '/a\u007fb',
      '/a\\b',
      '',
      undefined,
      ['/a'],
    ]) {
      expect(safeReturnTo(value)).toBe('/');
    }
  });
});
