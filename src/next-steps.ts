import { Rule } from '@angular-devkit/schematics';
import { ResolvedOptions } from './options';
import { TargetProject } from './workspace';

/** What the user still has to do, said once the files are in place; and why implicit is discouraged. */
export function reportNextSteps(project: TargetProject, options: ResolvedOptions): Rule {
  return (_tree, context) => {
    if (options.flow === 'implicit') {
      context.logger.warn('The implicit flow is deprecated by RFC 9700 (OAuth 2.0 Security BCP): ' +
        'prefer --flow code, which uses PKCE and keeps tokens out of the URL.');
    }
    const redirects = options.renewal === 'iframe' ? '<origin>/ and <origin>/silent-renew.html' : '<origin>/';
    context.logger.info([
      'ngx-auth-renew: next steps',
      `  - At ${options.authority}, allow client "${options.clientId}" the redirect URIs ${redirects}` +
        ' and the post-logout redirect URI <origin>/.',
      `  - To send the access token to your API, list its URL in secureRoutes (${project.authPath}/auth.config.ts)` +
        ' and add provideHttpClient(withInterceptors([authInterceptor])) to your providers.',
    ].join('\n'));
  };
}
