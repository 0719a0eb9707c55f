// Generated from schema.json by scripts/schema-types.ts (npm run build); do not edit by hand.

/** ngx-auth-renew: scaffold OpenID Connect token renewal */
export interface Schema {
  /** The application project to scaffold into. */
  project?: string;
  /** Issuer URL of the OpenID provider, kept exactly as given (a trailing slash stays): https://..., or http://localhost, 127.0.0.1 or [::1] (with any port and path); no query or fragment. */
  authority?: string;
  /** Public client id registered at the provider. */
  clientId?: string;
  /** code = authorization code + PKCE (S256); implicit = legacy 'id_token token', deprecated by RFC 9700. */
  flow?: 'code' | 'implicit';
  /** How tokens are renewed before they expire; implicit allows only iframe. */
  renewal?: 'refresh-token' | 'iframe';
  /** Renew this many seconds (a whole number, 0 or more) before the access token expires. */
  renewBefore?: number;
  /** Scopes to request. Default: 'openid profile email', plus 'offline_access' for refresh-token renewal. */
  scope?: string;
  /** Where the session is kept. */
  storage?: 'session' | 'local' | 'memory';
  /** Folder for the generated files, relative to the workspace root. Default: <sourceRoot>/app/auth. */
  path?: string;
  /** Sender-constrained tokens (DPoP, RFC 9449): a key pair per session signs a proof for every token request and API call. Needs --flow code and --renewal refresh-token; with --bff the key is made and kept on the server. */
  dpop?: boolean;
  /** Backend for frontend (apps with @angular/ssr and a server.ts): the app's server signs in as a confidential client and keeps the tokens; the browser gets an HttpOnly session cookie and calls /bff/ endpoints. Code flow with refresh tokens, renewed on the server. */
  bff?: boolean;
  /** Provider preset: a configuration that works there out of the box (scope, logout, session limit, authorization parameters). Not given: the preset the authority's host names (*.auth0.com, login.microsoftonline.com, cognito-idp.*.amazonaws.com, /realms/, *.okta.com, accounts.google.com), else generic. */
  provider?: 'auth0' | 'entra' | 'cognito' | 'keycloak' | 'okta' | 'google' | 'generic';
  /** The API the access token is for, sent as the `audience` authorization parameter (Auth0 issues a JWT access token only with one). */
  audience?: string;
  /** Do not create spec files. Not given: specs are written unless the project has no test runner; --skip-tests=false writes them anyway. */
  skipTests?: boolean;
  /** Do not install the added dependencies. */
  skipInstall?: boolean;
  /** Apply a change of --flow, --renewal, --storage, --dpop or --bff to files generated earlier: replace the untouched files that change, merge your edits into the edited ones (conflicts marked and named), add new ones, delete the untouched auth files no longer needed. */
  overwrite?: boolean;
}

/** The `default` of each option that has one. */
export const schemaDefaults = {
  flow: 'code',
  renewal: 'refresh-token',
  renewBefore: 30,
  storage: 'session',
  dpop: false,
  bff: false,
  skipInstall: false,
  overwrite: false,
} as const;
