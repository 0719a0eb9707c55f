import * as client from 'openid-client';
import { withDeadline } from './deadline';

/** What the provider calls need: a validated BffConfig. */
export interface ProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  requestTimeoutSeconds: number;
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The provider's configuration (discovery, through openid-client), fetched once and again after a
 * failure; every request it makes has the deadline of `requestTimeoutSeconds`. Plain http is
 * allowed for a provider on localhost only.
 */
export class Provider {
  private pending: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: ProviderSettings) {}

  configuration(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, requestTimeoutSeconds } = this.settings;
    const url = new URL(issuer);
    const insecure = url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname);
    this.pending ??= withDeadline(
      client.discovery(url, clientId, { client_secret: clientSecret }, undefined, {
        timeout: requestTimeoutSeconds,
        execute: insecure ? [client.allowInsecureRequests] : [],
      }),
      requestTimeoutSeconds * 1000,
      'discovery',
    ).catch((error: unknown) => {
      this.pending = undefined;
      throw error;
    });
    return this.pending;
  }
}

/** Only the provider's `invalid_grant` ends a session: the refresh token is no longer good. */
export function isInvalidGrant(error: unknown): boolean {
  return error instanceof client.ResponseBodyError && error.error === 'invalid_grant';
}

/** `code: description` of a provider error, for logs and error bodies. */
export function describe(error: unknown): string {
  if (error instanceof client.ResponseBodyError)
    return `${error.error}: ${error.error_description ?? error.status}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
