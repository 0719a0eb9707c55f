/** Options of `ng generate auth-renew` and `ng add ngx-auth-renew`, as in schema.json. */
export interface Schema {
  project?: string;
  authority?: string;
  clientId?: string;
  flow?: string;
  renewal?: string;
  renewBefore?: number | string;
  scope?: string;
  storage?: string;
  path?: string;
  skipTests?: boolean;
  skipInstall?: boolean;
}
