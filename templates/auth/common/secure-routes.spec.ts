import { isSecureRoute } from './secure-routes';

const base = 'https://app.example.com/portal/';

describe('isSecureRoute', () => {
  it('matches by exact origin and whole path segments', () => {
    const routes = ['https://api.example.com/v1', 'https://files.example.com/'];
    expect(isSecureRoute('https://api.example.com/v1', routes, base)).toBe(true);
    expect(isSecureRoute('https://api.example.com/v1/orders?page=2', routes, base)).toBe(true);
    expect(isSecureRoute('https://files.example.com/a/b', routes, base)).toBe(true);
    expect(isSecureRoute('https://api.example.com/v10', routes, base)).toBe(false);
    expect(isSecureRoute('https://api.example.com/', routes, base)).toBe(false);
    expect(isSecureRoute('http://api.example.com/v1', routes, base)).toBe(false);
    expect(isSecureRoute('https://api.example.com:8443/v1', routes, base)).toBe(false);
  });

  it('never matches by string prefix', () => {
    const routes = ['https://api.example.com'];
    expect(isSecureRoute('https://api.example.com/orders', routes, base)).toBe(true);
    expect(isSecureRoute('https://api.example.com.evil.com/', routes, base)).toBe(false);
    expect(isSecureRoute('https://api.example.com@evil.com/', routes, base)).toBe(false);
    expect(isSecureRoute('https://evil.com/https://api.example.com/', routes, base)).toBe(false);
  });

  it("resolves relative routes and URLs on the app's origin only", () => {
    expect(isSecureRoute('/api/orders', ['/api'], base)).toBe(true);
    expect(isSecureRoute('https://app.example.com/api/x', ['/api/'], base)).toBe(true);
    expect(isSecureRoute('//evil.com/api/x', ['/api'], base)).toBe(false);
    expect(isSecureRoute('//evil.com/x', ['/'], base)).toBe(false);
    expect(isSecureRoute('/apiary', ['/api'], base)).toBe(false);
    expect(isSecureRoute('data/x.json', ['/portal/data'], base)).toBe(true);
  });

  it('ignores what is not an http(s) URL', () => {
    expect(isSecureRoute('javascript:alert(1)', ['/'], base)).toBe(false);
    expect(isSecureRoute('https://api.example.com/x', ['not a url ::'], 'about:blank')).toBe(false);
  });
});
