import { Tree } from '@angular-devkit/schematics';
import { indexHtmlPath } from '../workspace/index-html';
import { SourceFile } from '../workspace/project-sources';
import { TargetProject } from '../workspace/workspace';

const META = /<meta\s[^>]*http-equiv=["']?Content-Security-Policy/i;
const IN_CODE = /Content-Security-Policy|contentSecurityPolicy|helmet/;

/**
 * The file through which the app sets a Content-Security-Policy, if any: a CSP `<meta>` in
 * index.html, or a mention of one (or of helmet) in server.ts or the project's sources.
 */
export function cspSource(tree: Tree, project: TargetProject, sources: SourceFile[]): string | undefined {
  const index = indexHtmlPath(project);
  if (tree.exists(index) && META.test(tree.readText(index))) {
    return index;
  }
  const root = project.definition.root ? `${project.definition.root.replace(/\/+$/, '')}/` : '';
  const server = [`${root}server.ts`, `${project.sourceRoot}/server.ts`].find((path) => tree.exists(path));
  if (server && IN_CODE.test(tree.readText(server))) {
    return server;
  }
  return sources.find((file) => IN_CODE.test(file.text))?.path;
}

/** The CSP directives the generated code needs, for the chosen renewal. */
export function cspDirectives(authority: string, renewal: string): string {
  const origin = new URL(authority).origin;
  return renewal === 'iframe' ? `connect-src ${origin} and frame-src ${origin}` : `connect-src ${origin}`;
}
