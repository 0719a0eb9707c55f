import { noop, Rule } from '@angular-devkit/schematics';
import { get as httpGet, IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { Socket } from 'node:net';
import { Schema } from '../schematics/auth-renew/schema';
import { resolveOptions, ResolvedOptions } from './options';

type Discovery = Record<string, unknown>;

/** Host names reserved for documentation and tests (RFC 2606, RFC 6761): never a real provider. */
const RESERVED = /(^|\.)(example\.(com|net|org)|example|test|invalid)$/i;

/** Where discovery looks, as oauth4webapi's discoveryRequest builds it: path + /.well-known/…, one slash. */
export function discoveryUrl(authority: string): string {
  const url = new URL(authority);
  url.pathname = `${url.pathname}/.well-known/openid-configuration`.replace('//', '/');
  return url.href;
}

/** A GET under way: `result()` settles with the JSON document, or with the reason as a string. */
export interface JsonRequest {
  result(): Promise<Discovery | string>;
}

/**
 * GETs a JSON document in the background: until `result()` is asked for, the request does not keep
 * the process alive, so a run that fails meanwhile ends at once. The whole exchange, name lookup
 * included, gets `timeoutMs` from the start.
 */
export function requestJson(url: string, timeoutMs: number): JsonRequest {
  let awaited = false;
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  const result = new Promise<Discovery | string>((resolve) => {
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
    request.on('socket', (s: Socket) => {
      socket = s;
      if (!awaited) s.unref();
    });
    timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    timer.unref();
    request.on('close', () => clearTimeout(timer));
    request.on('error', (e: NodeJS.ErrnoException) => resolve(e.code && !e.message.includes(e.code) ? `${e.code} ${e.message}` : e.message));
  });
  return {
    result() {
      awaited = true;
      socket?.ref();
      timer?.ref();
      return result;
    },
  };
}

function lists(doc: Discovery, field: string): string[] | undefined {
  const value = doc[field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** What in a discovery document does not fit the chosen setup, one message each. */
export function discoveryFindings(doc: Discovery, authority: string, flow: string, renewal: string): string[] {
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
  if (typeof doc['revocation_endpoint'] !== 'string') {
    findings.push('it has no revocation_endpoint: sign-out cannot revoke the tokens.');
  }
  if (typeof doc['end_session_endpoint'] !== 'string') {
    findings.push('it has no end_session_endpoint: sign-out ends the session in the app only, not at the provider.');
  }
  return findings;
}

/**
 * Reads the provider's discovery document (3 s at most) and warns about what does not fit the
 * chosen setup. Unreachable or offline: one warning, never a failure. Reserved example hosts
 * (id.example.com) are not asked. The request starts when this is called and runs while the rest
 * of the run works; the returned rule waits for it and reports.
 */
export function checkProvider(schema: Schema, timeoutMs = 3000): Rule {
  let options: ResolvedOptions;
  try {
    options = resolveOptions(schema);
  } catch {
    return noop(); // the scaffold reports invalid options
  }
  if (RESERVED.test(new URL(options.authority).hostname)) {
    return noop();
  }
  const url = discoveryUrl(options.authority);
  const request = requestJson(url, timeoutMs);
  return async (_tree, context) => {
    const doc = await request.result();
    if (typeof doc === 'string') {
      context.logger.warn(`ngx-auth-renew: could not read ${url} (${doc}); the provider's settings were not checked.`);
      return;
    }
    const findings = discoveryFindings(doc, options.authority, options.flow, options.renewal);
    if (findings.length) {
      context.logger.warn([`ngx-auth-renew: the provider at ${options.authority} does not fit this setup:`,
        ...findings.map((f) => `  - ${f}`)].join('\n'));
    }
  };
}
