import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { readCookie, SESSION_COOKIE } from './cookies';
import { Sealer } from './sealed';
import { SessionStore } from './session-store';

/** What the server keeps per signed-in browser (sealed in the store). */
export interface Session {
  /** The random id in the cookie (never stored: the store is keyed by its hash). */
  id: string;
  sub: string;
  /** The provider's session id (back-channel logout names it). */
  sid?: string;
  /** The id_token claims the app may show. */
  claims: Record<string, unknown>;
  idToken?: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  accessTokenExpiresAt: number;
  createdAt: number;
  lastSeen: number;
}

/** The sealed record; `lastSeen` is kept apart (see touch), so that marking a session used never writes its tokens. */
type Stored = Omit<Session, 'id' | 'lastSeen'>;

/** Protocol claims the browser has no use for. */
const HIDDEN_CLAIMS = [
  'aud',
  'azp',
  'iat',
  'exp',
  'nbf',
  'nonce',
  'at_hash',
  'c_hash',
  's_hash',
  'sid',
  'jti',
  'auth_time',
];
const TOUCH_EVERY_MS = 60_000;

export const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Sessions: created at sign-in, looked up from the cookie, ended by idle or absolute lifetime, logout or the provider. */
export class Sessions {
  private readonly seen = new WeakMap<Request, Promise<Session | undefined>>();

  constructor(
    private readonly store: SessionStore,
    private readonly sealer: Sealer,
    private readonly idleMs: number,
    private readonly absoluteMs: number,
  ) {}

  /** When the session ends unless used again (idle), or at the latest (absolute): epoch ms. */
  expiresAt(session: Pick<Session, 'createdAt' | 'lastSeen'>): number {
    return Math.min(session.lastSeen + this.idleMs, session.createdAt + this.absoluteMs);
  }

  /** The claims the browser may see. */
  userOf(session: Session): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(session.claims).filter(([name]) => !HIDDEN_CLAIMS.includes(name)),
    );
  }

  /** The session of the request's cookie (read once per request), its idle time reset. */
  fromRequest(req: Request): Promise<Session | undefined> {
    let found = this.seen.get(req);
    if (!found) {
      const id = readCookie(req, SESSION_COOKIE);
      found = id
        ? this.read(id).then((session) => session && this.touch(session))
        : Promise.resolve(undefined);
      this.seen.set(req, found);
    }
    return found;
  }

  async read(id: string): Promise<Session | undefined> {
    const hash = hashOf(id);
    const key = `session:${hash}`;
    const [sealed, seen] = await Promise.all([this.store.get(key), this.store.get(`seen:${hash}`)]);
    const stored = sealed && seen ? await this.sealer.open<Stored>(key, sealed) : undefined;
    if (!stored) return undefined;
    const session = { ...stored, id, lastSeen: Number(seen) };
    if (this.expiresAt(session) <= Date.now()) {
      await this.destroy(session);
      return undefined;
    }
    return session;
  }

  /** Writes the session's record (tokens and claims); it lives until the absolute lifetime ends. */
  async save(session: Session): Promise<void> {
    const { id, lastSeen: _, ...stored } = session;
    const key = `session:${hashOf(id)}`;
    const ttl = session.createdAt + this.absoluteMs - Date.now();
    await this.store.set(key, await this.sealer.seal(key, stored), ttl);
  }

  /** A new session with a new random id (a sign-in never reuses an id the browser had before). */
  async create(fields: Omit<Session, 'id' | 'createdAt' | 'lastSeen'>): Promise<Session> {
    const now = Date.now();
    const session: Session = {
      ...fields,
      id: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeen: now,
    };
    await this.save(session);
    await this.markSeen(session);
    const hash = hashOf(session.id);
    await this.store.addToSet(`sub:${hashOf(session.sub)}`, hash, this.absoluteMs);
    if (session.sid) await this.store.addToSet(`sid:${hashOf(session.sid)}`, hash, this.absoluteMs);
    return session;
  }

  async destroy(session: Pick<Session, 'id'>): Promise<void> {
    const hash = hashOf(session.id);
    await Promise.all([this.store.delete(`session:${hash}`), this.store.delete(`seen:${hash}`)]);
  }

  /** Ends every session of a provider session (`sid`), or of a user (`sub`) when the logout token names no sid. */
  async endProviderSession(sub: string | undefined, sid: string | undefined): Promise<number> {
    const index = sid ? `sid:${hashOf(sid)}` : `sub:${hashOf(sub ?? '')}`;
    const hashes = await this.store.members(index);
    await Promise.all(
      hashes.flatMap((hash) => [
        this.store.delete(`session:${hash}`),
        this.store.delete(`seen:${hash}`),
      ]),
    );
    await this.store.delete(index);
    return hashes.length;
  }

  /** Marks the session used now (at most once a minute): its idle lifetime starts again. */
  private async touch(session: Session): Promise<Session> {
    if (Date.now() - session.lastSeen < TOUCH_EVERY_MS) return session;
    const touched = { ...session, lastSeen: Date.now() };
    await this.markSeen(touched);
    return touched;
  }

  private async markSeen(session: Session): Promise<void> {
    await this.store.set(
      `seen:${hashOf(session.id)}`,
      String(session.lastSeen),
      this.expiresAt(session) - Date.now(),
    );
  }
}
