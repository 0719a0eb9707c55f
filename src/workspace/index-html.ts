import { Tree } from '@angular-devkit/schematics';
import { TargetProject } from './workspace';

/** The project's index.html (the build target's `index` option, else `<sourceRoot>/index.html`). */
export function indexHtmlPath(project: TargetProject): string {
  const index = project.definition.targets.get('build')?.options?.['index'];
  const input = typeof index === 'string' ? index
    : index && typeof index === 'object' && 'input' in index && typeof index.input === 'string' ? index.input
    : `${project.sourceRoot ? `${project.sourceRoot}/` : ''}index.html`;
  return input.replace(/^\/+/, '');
}

/**
 * The path the app is served under, with leading and trailing slash: the build target's
 * `baseHref` if set, else `<base href>` of index.html, else `/`.
 */
export function baseHref(tree: Tree, project: TargetProject): string {
  const option = project.definition.targets.get('build')?.options?.['baseHref'];
  const index = indexHtmlPath(project);
  const fromHtml = tree.exists(index) ? /<base\s[^>]*href=["']([^"']*)["']/i.exec(tree.readText(index))?.[1] : undefined;
  const href = typeof option === 'string' ? option : fromHtml ?? '/';
  const path = href.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/^\.?\/*/, '/');
  return path.endsWith('/') ? path : `${path}/`;
}
