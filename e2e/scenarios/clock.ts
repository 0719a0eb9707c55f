// A client clock 10 minutes ahead of / behind the provider's, id_tokens that live 300 s: the app
// signs in and renews on time (its own clock measures expiresAt, the id_token checks use the offset).
import { APP, Checks, TOLERANCE, fmt, readState, say, signIn, withStack } from '../lib/kit.ts';
import { describeEvents, refreshSince, target, waitNewToken } from './helpers.ts';

const SKEWS = [10 * 60000, -10 * 60000];

export async function clockSkew(c: Checks): Promise<void> {
  for (const skew of SKEWS) {
    const label = `client clock ${skew > 0 ? '+' : '-'}${Math.abs(skew) / 60000} min`;
    await withStack({ appId: 'code-refresh', provider: { idTokenTtl: 300 } }, async ({ provider, context, page, sink, events }) => {
      await context.clock.install({ time: Date.now() + skew });
      const t0 = Date.now();
      const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
      const offset = s.now - Date.now();
      c.ok(Math.abs(offset - skew) < 5000, `${label}: the page's clock is off by the skew`, `${Math.round(offset / 1000)} s`);
      c.ok(s.isAuthenticated && !events.some((e) => e.type === 'sign-in-failed'), `${label}: signed in`, describeEvents(events, t0 + skew));
      const offsets: number[] = [];
      let prev = s;
      for (let i = 1; i <= 2; i++) {
        const due = target(prev) - offset; // on the provider's (real) clock
        const renewed = await waitNewToken(page, prev.accessToken, due - Date.now() + 8000);
        const st = await readState(page);
        const req = refreshSince(provider, prev.now - offset)[0];
        const off = req ? req.t - due : NaN;
        offsets.push(off);
        c.ok(renewed && Math.abs(off) <= TOLERANCE, `${label}: renewal ${i} on time (within ${TOLERANCE} ms of expiresAt - renewBefore)`,
          `offset ${off} ms; events: ${describeEvents(events.filter((e) => e.t >= prev.now), prev.now)}`);
        if (!renewed) return;
        prev = st;
      }
      c.ok(!events.some((e) => e.type === 'renew-failed' || e.type === 'session-ended'), `${label}: no renew-failed, no session-ended`);
      say(`    figures (${label}): renewal offsets ms [${fmt(offsets)}]`);
    });
  }
}
