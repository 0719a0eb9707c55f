import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { parsePolicy, policyStep } from '../../src/next-steps/csp';

/**
 * The CSP next step, applied literally, in Debian's chromium. An app origin serves a page under a
 * policy (a `<meta>`, as in index.html) and a same-origin API; a provider origin (another port)
 * serves a token endpoint (CORS) and an authorize endpoint that redirects the frame back to the
 * app's silent-renew page. For each policy: a same-origin fetch, a fetch to the provider, and (for
 * iframe renewal) the frame round trip. The old advice ("add connect-src <provider>") must block
 * the app's own fetch; the advice printed now must let everything through.
 */
/** Per spec (the global timeout belongs to the other integration specs, which set it on load). */
const TIMEOUT = 120_000;

/** `blocked: <origin>` for a frame: the origin whose load the policy refused. */
type Outcome = 'passed' | 'blocked' | `blocked: ${string}` | `failed: ${string}`;
interface Figures {
  sameOrigin: Outcome;
  provider: Outcome;
  frame?: Outcome;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** `policy` with the next step's edits written as the line says: "change A to B", "add the directive(s) X; Y". */
function applyLiterally(policy: string, step: string): string {
  let result = policy;
  for (const [, from, to] of step.matchAll(/change (.+?) to (.+?)(?=, and | \(|\.$)/g)) {
    expect(result).toContain(from);
    result = result.replace(from, to);
  }
  const added = /add the directives? (.+?)(?= \(|\.$)/.exec(step)?.[1];
  return added ? `${result}; ${added}` : result;
}

describe('CSP advice in chromium: the printed directives let the app reach itself and the provider', () => {
  let browser: Browser;
  let app: Server;
  let provider: Server;
  let appOrigin = '';
  let providerOrigin = '';
  const figures: Record<string, Figures> = {};

  beforeAll(async () => {
    provider = createServer((req, res) => {
      if (req.url?.startsWith('/authorize')) {
        res.writeHead(302, { location: `${appOrigin}/silent-renew.html?code=c&state=s` }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{"access_token":"t"}');
      }
    });
    app = createServer((req, res) => {
      const url = new URL(req.url ?? '/', appOrigin);
      if (url.pathname === '/page') {
        const policy = url.searchParams.get('policy') ?? '';
        const attr = policy.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
        res.writeHead(200, { 'content-type': 'text/html' })
          .end(`<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${attr}"></head><body></body></html>`);
      } else if (url.pathname === '/silent-renew.html') {
        res.writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><html><head><script src="silent-renew.js"></script></head><body></body></html>');
      } else if (url.pathname === '/silent-renew.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(`parent.postMessage('renewed:' + location.search, '*');`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    appOrigin = await listen(app);
    providerOrigin = await listen(provider);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([app, provider].map((s) => new Promise((resolve) => s?.close(resolve))));
    // The figures of this run, for the record.
    console.log(`\nCSP in chromium (app ${appOrigin}, provider ${providerOrigin}):`);
    for (const [variant, f] of Object.entries(figures)) {
      console.log(`  ${variant}: same-origin ${f.sameOrigin}, provider ${f.provider}${f.frame ? `, iframe renewal ${f.frame}` : ''}`);
    }
  }, TIMEOUT);

  /** Loads the page under `policy`; fetches /api and the provider's /token, and with `frame` runs the iframe round trip. */
  async function measure(variant: string, policy: string, frame: boolean): Promise<Figures> {
    const page = await browser.newPage();
    try {
      await page.goto(`${appOrigin}/page?policy=${encodeURIComponent(policy)}`);
      const result = await page.evaluate(`(async () => {
        const violations = [];
        document.addEventListener('securitypolicyviolation', (e) => violations.push(e));
        const violated = (url) => violations.some((v) => v.effectiveDirective === 'connect-src' && new URL(v.blockedURI).origin === new URL(url).origin);
        // A refused fetch rejects; the violation event that says why is queued as a task: wait for it (or give up after 5 s).
        const why = async (url, error) => {
          for (let i = 0; i < 100 && !violated(url); i++) await new Promise((resolve) => setTimeout(resolve, 50));
          return violated(url) ? 'blocked' : 'failed: ' + error.message;
        };
        const get = (url) => fetch(url).then((r) => r.ok ? 'passed' : 'failed: HTTP ' + r.status, (e) => why(url, e));
        const sameOrigin = await get(${JSON.stringify(`${appOrigin}/api`)});
        const provider = await get(${JSON.stringify(`${providerOrigin}/token`)});
        let frame;
        if (${frame}) {
          frame = await new Promise((resolve) => {
            addEventListener('message', (e) => resolve(e.origin === location.origin && e.data === 'renewed:?code=c&state=s' ? 'passed' : 'failed: ' + e.data));
            document.addEventListener('securitypolicyviolation', (e) => e.effectiveDirective === 'frame-src' && resolve('blocked: ' + new URL(e.blockedURI).origin));
            setTimeout(() => resolve('failed: neither a message nor a violation within 20 s'), 20000);
            const iframe = document.createElement('iframe');
            iframe.src = ${JSON.stringify(`${providerOrigin}/authorize?prompt=none`)};
            document.body.appendChild(iframe);
          });
        }
        return { sameOrigin, provider, frame };
      })()`) as Figures;
      figures[variant] = result;
      return result;
    } finally {
      await page.close();
    }
  }

  it('default-src \'self\', code + refresh token: the old advice blocks the app\'s own fetch; the printed one lets both through', async () => {
    const policy = "default-src 'self'";
    expect(await measure('default-src only, unchanged', policy, false)).toEqual({ sameOrigin: 'passed', provider: 'blocked', frame: undefined });
    expect(await measure('old advice (connect-src <provider>)', `${policy}; connect-src ${providerOrigin}`, false))
      .toEqual({ sameOrigin: 'blocked', provider: 'passed', frame: undefined });
    const step = policyStep('src/index.html:7', parsePolicy(policy), providerOrigin, 'refresh-token')!;
    expect(step).toContain(`add the directive connect-src 'self' ${providerOrigin}`);
    expect(await measure('printed advice', applyLiterally(policy, step), false))
      .toEqual({ sameOrigin: 'passed', provider: 'passed', frame: undefined });
  }, TIMEOUT);

  it('an existing connect-src: the origin appended as printed lets both through', async () => {
    const policy = "default-src 'self'; connect-src 'self' https://api.example.com";
    const step = policyStep('src/index.html:7', parsePolicy(policy), providerOrigin, 'refresh-token')!;
    const edited = applyLiterally(policy, step);
    expect(edited).toBe(`default-src 'self'; connect-src 'self' https://api.example.com ${providerOrigin}`);
    expect(await measure('existing connect-src, printed advice', edited, false))
      .toEqual({ sameOrigin: 'passed', provider: 'passed', frame: undefined });
  }, TIMEOUT);

  it('iframe renewal: the old advice blocks the app\'s fetch and the redirect back to silent-renew.html; the printed one lets all through', async () => {
    const policy = "default-src 'self'";
    expect(await measure('iframe, unchanged', policy, true))
      .toEqual({ sameOrigin: 'passed', provider: 'blocked', frame: `blocked: ${providerOrigin}` });
    expect(await measure('iframe, old advice (connect-src and frame-src <provider>)',
      `${policy}; connect-src ${providerOrigin}; frame-src ${providerOrigin}`, true))
      .toEqual({ sameOrigin: 'blocked', provider: 'passed', frame: `blocked: ${appOrigin}` }); // the redirect back to silent-renew.html
    const step = policyStep('src/index.html:7', parsePolicy(policy), providerOrigin, 'iframe')!;
    expect(step).toContain(`add the directives connect-src 'self' ${providerOrigin}; frame-src 'self' ${providerOrigin}`);
    expect(await measure('iframe, printed advice', applyLiterally(policy, step), true))
      .toEqual({ sameOrigin: 'passed', provider: 'passed', frame: 'passed' });
  }, TIMEOUT);
});
