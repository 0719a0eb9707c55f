// The "renewal that survives real life" scenarios (issue 9), in the order run.ts runs them.
import type { Checks } from '../lib/kit.ts';
import { bff } from './bff.ts';
import { bffDpop } from './bff-dpop.ts';
import { clockSkew } from './clock.ts';
import { dpop } from './dpop.ts';
import { interceptor } from './interceptor.ts';
import { presets } from './presets.ts';
import { frozenPage, hungTokenEndpoint, offline, providerOutage } from './outages.ts';
import { accountSwitch, blockingNavigation, callbackFailure, logoutInterop } from './session-end.ts';
import { subPath } from './subpath.ts';
import { duplicatedTab, fiveTabs, logoutDuringRenewal } from './tabs.ts';
import { thirdProvider } from './third-provider.ts';

export const RESILIENCE_SCENARIOS: { name: string; run: (c: Checks) => Promise<void> }[] = [
  { name: 'hung token endpoint: timeout, retry, logout with a hung revocation', run: hungTokenEndpoint },
  { name: 'provider outage (503) across expiry', run: providerOutage },
  { name: 'offline across expiry (refresh token, iframe)', run: offline },
  { name: 'page frozen past expiry', run: frozenPage },
  { name: 'failed sign-in callback: no redirect loop; stray callback URL', run: callbackFailure },
  { name: 'client clock ±10 min', run: clockSkew },
  { name: 'duplicated tab (session storage)', run: duplicatedTab },
  { name: 'five tabs (--storage local)', run: fiveTabs },
  { name: 'logout during another tab\'s renewal (--storage local)', run: logoutDuringRenewal },
  { name: 'router with blocking initial navigation: a guarded deep link signs in once', run: blockingNavigation },
  { name: 'account switch at renewal', run: accountSwitch },
  { name: 'logout interop: state, failed revocation', run: logoutInterop },
  { name: 'app under a sub-path (/portal/)', run: subPath },
  { name: 'interceptor: secureRoutes, one renewal for concurrent calls', run: interceptor },
  { name: 'DPoP (--dpop): bound tokens, proofs, nonces, replay refused', run: dpop },
  { name: 'third provider: better-auth (code + PKCE, refresh token, userinfo, logout, DPoP)', run: thirdProvider },
  { name: 'BFF (--bff on @angular/ssr): tokens on the server, memory then Redis with two instances', run: bff },
  { name: 'BFF with DPoP (--bff --dpop): a key per session on the server, nonces, two instances on Redis', run: bffDpop },
  { name: 'provider presets (--provider) against their quirks: sign-in, renewal, logout', run: presets },
];
