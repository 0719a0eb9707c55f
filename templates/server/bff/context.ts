import { BffConfig } from './bff.config';
import { MemoryStore } from './memory-store';
import { Provider } from './oidc';
import { Sealer } from './sealed';
import { SessionStore } from './session-store';
import { Sessions } from './sessions';
import { TokenRefresh } from './token-refresh';

/** Everything the endpoints share, made once at the first request. */
export interface Bff {
  config: BffConfig & { origin: string; clientSecret: string };
  store: SessionStore;
  sealer: Sealer;
  sessions: Sessions;
  provider: Provider;
  refresh: TokenRefresh;
  /** `<origin><basePath>/callback`: register it at the provider. */
  redirectUri: string;
  absoluteMs: number;
}

/** A missing setting, said in one line (the endpoints answer 503 with it). */
function missing(config: BffConfig): string | undefined {
  if (!config.clientSecret)
    return 'BFF_CLIENT_SECRET is not set (the client secret of this app at the provider)';
  if (!config.origin)
    return 'BFF_ORIGIN is not set (the public origin of this app, e.g. https://app.example.com)';
  if (config.redisUrl && !config.sessionKey)
    return 'BFF_SESSION_KEY is not set (32 random bytes, base64url: it encrypts the sessions in Redis)';
  return undefined;
}

export async function createBff(config: BffConfig): Promise<Bff> {
  const problem = missing(config);
  if (problem || !config.clientSecret || !config.origin) throw new Error(problem);
  const origin = new URL(config.origin).origin;
  const ready = { ...config, origin, clientSecret: config.clientSecret };
  const timeoutMs = config.requestTimeoutSeconds * 1000;
  // The Redis client is loaded only when Redis is configured.
  const store = config.redisUrl
    ? await (await import('./redis-store')).RedisStore.connect(config.redisUrl, timeoutMs)
    : new MemoryStore();
  const sealer = new Sealer(config.sessionKey);
  const absoluteMs = config.absoluteHours * 3_600_000;
  const sessions = new Sessions(store, sealer, config.idleMinutes * 60_000, absoluteMs);
  const provider = new Provider(ready);
  const refresh = new TokenRefresh(provider, sessions, store, config);
  return {
    config: ready,
    store,
    sealer,
    sessions,
    provider,
    refresh,
    redirectUri: `${origin}${config.basePath}/callback`,
    absoluteMs,
  };
}
