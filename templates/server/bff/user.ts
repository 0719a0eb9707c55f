import type { Request, Response } from 'express';
import { Bff } from './context';

/** What the browser learns about the session: who, and until when (epoch ms). No token. */
export interface BffUser {
  user: Record<string, unknown>;
  expiresAt: number;
}

/** The signed-in user of a request, or null. */
export async function userOf(bff: Bff, req: Request): Promise<BffUser | null> {
  const session = await bff.sessions.fromRequest(req);
  return session
    ? { user: bff.sessions.userOf(session), expiresAt: bff.sessions.expiresAt(session) }
    : null;
}

/** GET /bff/user: 200 `{ user, expiresAt }`, or 401 when signed out. */
export async function user(bff: Bff, req: Request, res: Response): Promise<void> {
  const found = await userOf(bff, req);
  res.set('Cache-Control', 'private, no-store');
  if (found) res.json(found);
  else res.status(401).json({ error: 'unauthenticated', error_description: 'not signed in' });
}
