import { Tree } from '@angular-devkit/schematics';
import { serverPathOf } from '../render/generated-folder';
import { ResolvedOptions } from '../render/options';
import { interceptorSteps } from './interceptor-setup';
import { ParsedSources } from '../ts/parsed-sources';
import { projectSources } from '../workspace/project-sources';
import { TargetProject } from '../workspace/workspace';

/** The next steps of --bff: the confidential client to register, the server's environment, the API proxy. */
export function bffSteps(tree: Tree, project: TargetProject, options: ResolvedOptions): string[] {
  const server = serverPathOf(project.sourceRoot);
  const sources = projectSources(tree, project.sourceRoot, project.authPath).filter((f) => !f.path.startsWith(`${server}/`));
  return [
    `At ${options.authority}, register client "${options.clientId}" as a confidential client (a client secret, ` +
      'code flow with PKCE, refresh tokens) with the redirect URI <origin>/bff/callback, the post-logout redirect URI ' +
      '<origin>/ and the back-channel logout URI <origin>/bff/backchannel-logout.',
    'Give the app\'s server its settings in the environment, never in a file: BFF_CLIENT_SECRET and BFF_ORIGIN ' +
      '(its public origin, https://...); for several instances or restarts without sign-outs, BFF_REDIS_URL and ' +
      'BFF_SESSION_KEY (32 random bytes, base64url). Allow its host name in "security.allowedHosts" of angular.json ' +
      '(or NG_ALLOWED_HOSTS).',
    `To call an API with the user's access token, name it in upstreams in ${server}/bff.config.ts and call ` +
      '/bff/api/<name>/<path> from the app.',
    ...interceptorSteps(sources, project.authPath, new ParsedSources()),
  ];
}
