// `npm run demo`: the default setup of ngx-auth-renew, live. Makes (or reuses) a workspace with
// `ng new` + `ng add <this package> --defaults` (code + PKCE, refresh-token renewal), starts the
// e2e OpenID provider and serves the built app; the page shows who is signed in, a countdown to the
// next renewal and a log of renewals. Ctrl-C stops it.
//
//   npm run demo [-- --rebuild]        env: DEMO_PORT (4200), DEMO_PROVIDER_PORT (9000)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeApp, makeBase, packTarball, WORK } from './make-app.ts';
import { startProvider } from './provider/provider.ts';
import { startStatic } from './static-server.ts';

const APP_PORT = Number(process.env.DEMO_PORT ?? 4200);
const PROVIDER_PORT = Number(process.env.DEMO_PROVIDER_PORT ?? 9000);
const ACCESS_TOKEN_TTL = 20; // seconds: short, so renewals come every few seconds
const RENEW_BEFORE = 15;
const rebuild = process.argv.includes('--rebuild');

const app = `http://localhost:${APP_PORT}`;
const issuer = `http://localhost:${PROVIDER_PORT}`;
const dist = join(WORK, 'apps', 'demo', 'dist', 'e2e-app', 'browser');

if (rebuild || !existsSync(join(dist, 'index.html'))) {
  console.log('Making the demo workspace: ng new, ng add ngx-auth-renew, ng build (a minute or two the first time)…');
  const tarball = await packTarball();
  const base = await makeBase({ reuse: true });
  const flags = ['--authority', issuer, '--client-id', 'spa-code', '--renew-before', String(RENEW_BEFORE)];
  await makeApp({ id: 'demo', tarball, flags, base });
}

const provider = await startProvider({ port: PROVIDER_PORT, apps: [app], accessTokenTtl: ACCESS_TOKEN_TTL, quiet: true });
const server = await startStatic({ root: dist, port: APP_PORT });
console.log(`\nOpenID provider ${provider.issuer} (test user signs in without a password; access tokens live ${ACCESS_TOKEN_TTL} s)`);
console.log(`Demo app        ${server.origin}  ← open this; tokens renew ${RENEW_BEFORE} s before expiry`);
console.log('Workspace       e2e/.work/apps/demo (src/app/auth is what ng add generated)\nCtrl-C to stop.');

const stop = async () => {
  await Promise.allSettled([server.close(), provider.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
