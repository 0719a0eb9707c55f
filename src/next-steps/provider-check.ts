import { Rule } from '@angular-devkit/schematics';
import { get as httpGet, IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { ResolvedOptions } from '../render/options';

type Discovery = Record<string, unknown>;

/** Host names reserved for documentation and tests (RFC 2606, RFC 6761): never a real provider. */
const RESERVED = /(^|\.)(example\.(com|net|org)|example|test|invalid)$/i;

/** Where discovery looks, as oauth4webapi's discoveryRequest builds it: path + /.well-known/…, one slash. */
export function discoveryUrl(authority: string): string {
  const url = new URL(authority);
  url.pathname = `${url.pathname}/.well-known/openid-configuration`.replace('//', '/');
  return url.href;
}

/** GETs a JSON document; the reason as a string when it cannot. The whole exchange, name lookup included, gets timeoutMs. */
export function fetchJson(url: string, timeoutMs: number): Promise<Discovery | string> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const request = get(url, { agent: false, headers: { accept: 'application/json' } }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) {
          return resolve(`HTTP ${response.statusCode}`);
        }
        try {
          const json: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve(json && typeof json === 'object' && !Array.isArray(json) ? json as Discovery : 'not a JSON object');
        } catch {
          resolve('not JSON');
        }
      });
      response.on('error', (e) => resolve(e.message));
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (e: NodeJS.ErrnoException) => resolve(e.code && !e.message.includes(e.code) ? `${e.code} ${e.message}` : e.message));
  });
}

function lists(doc: Discovery, field: string): string[] | undefined {
  const value = doc[field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** What in a discovery document does not fit the chosen setup, one message each. */
export function discoveryFindings(doc: Discovery, authority: string, flow: string, renewal: string, provider = 'generic'): string[] {
  const findings: string[] = [];
  const issuer = typeof doc['issuer'] === 'string' ? doc['issuer'] : undefined;
  let sameIssuer = false;
  try {
    sameIssuer = issuer !== undefined && new URL(issuer).href === new URL(authority).href;
  } catch {
    sameIssuer = false;
  }
  if (!sameIssuer) {
    findings.push(`its issuer is ${JSON.stringify(issuer ?? null)}, not --authority "${authority}": discovery will fail in the app` +
      (issuer ? `; run again with --authority ${issuer}` : '') + '.');
  }
  if (flow === 'code' && !lists(doc, 'code_challenge_methods_supported')?.includes('S256')) {
    findings.push('code_challenge_methods_supported does not list S256: the code flow needs PKCE with S256.');
  }
  const grants = lists(doc, 'grant_types_supported');
  if (renewal === 'refresh-token' && grants && !grants.includes('refresh_token')) {
    findings.push('grant_types_supported does not list refresh_token: use --renewal iframe, or allow refresh tokens for the client.');
  }
  // Entra ID, Google and Cognito advertise no revocation endpoint, by design: the presets expect it.
  if (typeof doc['revocation_endpoint'] !== 'string' && !['entra', 'google', 'cognito'].includes(provider)) {
    findings.push('it has no revocation_endpoint: sign-out cannot revoke the tokens.');
  }
  // Auth0 and Cognito presets write a logoutUrl; Google has no sign-out endpoint at all.
  if (typeof doc['end_session_endpoint'] !== 'string' && !['auth0', 'cognito', 'google'].includes(provider)) {
    findings.push('it has no end_session_endpoint: sign-out ends the session in the app only, not at the provider.');
  }
  return findings;
}

/** False for hosts reserved for documentation and tests (id.example.com): never asked. */
export function canCheckProvider(authority: string): boolean {
  return !RESERVED.test(new URL(authority).hostname);
}

/**
 * Reads the provider's discovery document (3 s at most) and warns about what does not fit the
 * chosen setup. Unreachable or offline: one warning, never a failure. A reserved example host
 * (id.example.com) is not asked: one info line says so.
 */
export function checkProvider(options: ResolvedOptions, timeoutMs = 3000): Rule {
  return async (_tree, context) => {
    if (!canCheckProvider(options.authority)) {
      context.logger.info(`ngx-auth-renew: the provider check was skipped: ${new URL(options.authority).hostname} is a name ` +
        'reserved for examples and tests (RFC 2606, RFC 6761), so its discovery document was not read.');
      return;
    }
    const url = discoveryUrl(options.authority);
    const doc = await fetchJson(url, timeoutMs);
    if (typeof doc === 'string') {
      context.logger.warn(`ngx-auth-renew: could not read ${url} (${doc}); the provider's settings were not checked.`);
      return;
    }
    const findings = discoveryFindings(doc, options.authority, options.flow, options.renewal, options.provider);
    if (findings.length) {
      context.logger.warn([`ngx-auth-renew: the provider at ${options.authority} does not fit this setup:`,
        ...findings.map((f) => `  - ${f}`)].join('\n'));
    }
  };
}
