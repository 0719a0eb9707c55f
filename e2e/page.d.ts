// What the e2e / demo page (e2e/app/app.ts) puts on `window` for the driver, read inside
// page.evaluate() / waitForFunction() by e2e/run.ts. Present once the page has booted (waitForApp).

/** The generated AuthService, as far as the driver calls it. */
interface E2EPageAuth {
  isAuthenticated(): boolean;
  accessToken(): string | null;
  idToken(): string | null;
  /** ms since the epoch. */
  expiresAt(): number | null;
  login(returnUrl?: string): Promise<void>;
  logout(): Promise<void>;
  renewToken(): Promise<void>;
}

/** An AuthEvent as the page records it, with its time and the token it left behind. */
interface E2EPageAuthEvent {
  t: number;
  type: string;
  error?: string;
  expiresAt: number | null;
  token: string | null;
}

interface Window {
  auth: E2EPageAuth;
  /** The generated auth.config.ts object (renewBeforeSeconds, authority, clientId, ...). */
  authConfig: Record<string, unknown>;
  authEvents: E2EPageAuthEvent[];
  /** GET through the app's HttpClient (status -1: not an HTTP error). */
  api(url: string): Promise<{ status: number; body: unknown; error: string | null }>;
}
