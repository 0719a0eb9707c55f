// oidc-provider 9 ships no type declarations: just the part of its API that provider.ts uses
// (see the package's docs/README.md for the full configuration).
declare module 'oidc-provider' {
  import type { JsonWebKey } from 'node:crypto';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The Koa context of a request, with what oidc-provider adds under `oidc` on its own routes. */
  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    res: ServerResponse;
    method: string;
    /** false: Koa leaves the response alone (a middleware answered, or never will). */
    respond?: boolean;
    originalUrl: string;
    /** The query string (without `?`); setting it changes what the provider reads. */
    querystring: string;
    cookies: {
      get(name: string, options?: { signed?: boolean }): string | undefined;
      set(name: string, value: string | null, options?: { signed?: boolean }): void;
    };
    status: number;
    body: unknown;
    type: string;
    /** A request header, '' when absent. */
    get(field: string): string;
    /** Sets a response header. */
    set(field: string, value: string): void;
    response: { get(field: string): string };
    redirect(url: string): void;
    /** Absent on requests that are none of the provider's routes (e.g. a middleware's own path). */
    oidc?: OIDCContext;
  }

  export interface OIDCContext {
    /** The recognised request parameters of the route (strings, when sent). */
    params?: Record<string, unknown>;
    session?: { accountId?: string };
    entities: { RotatedRefreshToken?: { remainingTTL: number } };
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface Client {
    clientId: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface ClientMetadata {
    client_id: string;
    client_name?: string;
    application_type?: 'web' | 'native';
    token_endpoint_auth_method?: string;
    grant_types?: string[];
    response_types?: string[];
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    /** DPoP required at the token endpoint; tokens bound to the proof's key. */
    dpop_bound_access_tokens?: boolean;
    /** A confidential client's secret. */
    client_secret?: string;
    /** OpenID Connect Back-Channel Logout 1.0. */
    backchannel_logout_uri?: string;
    backchannel_logout_session_required?: boolean;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: unknown, rejected: string[]): Promise<Record<string, unknown>>;
  }

  export interface CookieOptions {
    httpOnly?: boolean;
    sameSite?: 'lax' | 'strict' | 'none';
    secure?: boolean;
  }

  /** Seconds, or a function of the token being issued. */
  export type TTL = number | ((ctx: KoaContextWithOIDC, token: unknown, client: Client) => number);

  export interface ErrorOut {
    error: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    responseTypes?: string[];
    scopes?: string[];
    claims?: Record<string, string[]>;
    jwks?: { keys: (JsonWebKey & { kid?: string; alg?: string; use?: string })[] };
    cookies?: { keys?: string[]; long?: CookieOptions; short?: CookieOptions };
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    conformIdTokenClaims?: boolean;
    features?: {
      devInteractions?: { enabled: boolean };
      revocation?: { enabled: boolean };
      backchannelLogout?: { enabled: boolean };
      /** RFC 8707 resource indicators: what the resource server behind an indicator gets. */
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: KoaContextWithOIDC) => string;
        useGrantedResource?: (ctx: KoaContextWithOIDC) => boolean;
        getResourceServerInfo?: (ctx: KoaContextWithOIDC, resourceIndicator: string, client: Client) => {
          scope: string;
          audience?: string;
          accessTokenFormat?: 'opaque' | 'jwt';
          jwt?: { sign?: { alg: string } };
        };
      };
      /** nonceSecret: 32 bytes, needed for server nonces; requireNonce: every proof must carry one. */
      dPoP?: { enabled: boolean; nonceSecret?: Buffer; requireNonce?: (ctx: KoaContextWithOIDC) => boolean };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => void | Promise<void>;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => void | Promise<void>;
      };
    };
    findAccount?: (ctx: KoaContextWithOIDC, sub: string, token?: unknown) => Promise<Account | undefined>;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    /** How the provider makes its own requests (back-channel logout, sector identifiers). */
    fetch?: (url: string | URL, options: RequestInit) => Promise<Response>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, code: unknown) => boolean | Promise<boolean>;
    rotateRefreshToken?: boolean;
    ttl?: Partial<Record<'AccessToken' | 'IdToken' | 'AuthorizationCode' | 'Interaction' | 'Session' | 'Grant' | 'RefreshToken', TTL>>;
    renderError?: (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => void | Promise<void>;
  }

  /** What a prompt reports missing; the consent prompt's details are the ones read here. */
  export interface PromptDetails {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
    [key: string]: unknown;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: PromptDetails };
    params: { client_id: string; [key: string]: unknown };
    /** Absent until an account has signed in. */
    session?: { accountId: string; uid: string; cookie: string };
    grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; amr?: string[]; acr?: string };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    /** Stores the grant; resolves to its id. */
    save(): Promise<string>;
  }

  /** A stored token; `jkt` is the DPoP key thumbprint it is bound to. */
  export interface StoredToken {
    jkt?: string;
    /** Seconds until it expires. */
    remainingTTL: number;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly Client: {
      /** The client metadata validator; `invalidate` throws the validation error. */
      Schema: { prototype: { invalidate(message: string, code?: string): void } };
      find(id: string): Promise<Client | undefined>;
    };
    readonly Session: { find(id: string): Promise<{ destroy(): Promise<void> } | undefined> };
    readonly Grant: {
      new (properties?: { accountId?: string; clientId?: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    readonly AccessToken: { find(value: string): Promise<StoredToken | undefined> };
    readonly RefreshToken: { find(value: string): Promise<StoredToken | undefined> };
    use(middleware: Middleware): this;
    on(event: 'server_error', listener: (ctx: KoaContextWithOIDC, err: Error) => void): this;
    /** error_detail: the reason, which the response does not tell (e.g. 'failed jkt verification'). */
    on(event: 'grant.error' | 'userinfo.error', listener: (ctx: KoaContextWithOIDC, err: Error & { error_detail?: string }) => void): this;
    on(event: 'grant.revoked', listener: (ctx: KoaContextWithOIDC, grantId: string) => void): this;
    on(event: 'end_session.success' | 'refresh_token.destroyed' | 'backchannel.success', listener: (...args: unknown[]) => void): this;
    on(event: 'backchannel.error', listener: (ctx: KoaContextWithOIDC, err: Error) => void): this;
    /** A request listener for node:http / node:https. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
  }
}
