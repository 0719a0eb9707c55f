import { History, history, Release, RenderContext, RenderOptions, releaseTemplateFolder } from './releases';
import { withVitestImports } from './test-runner';

/** Generated files by workspace path (no leading slash). */
export type Files = Map<string, Buffer>;

/** Specs, their shared fakes, and the test kit of the app's own tests (provide-auth-testing.ts, e2e-session.ts). */
const isTestFile = (path: string) => /\.(spec|testing)\.ts$|(^|\/)(provide-auth-testing|e2e-session)\.ts$/.test(path);

function fail(message: string): never {
  throw new Error(message);
}

/** The workspace folder a template folder of `release` is written into. */
export function destinationOf(folder: string, context: RenderContext): string {
  if (folder.startsWith('server/')) {
    return context.serverPath ?? fail(`no server folder to write ${folder} into`);
  }
  return folder === 'silent-renew' ? context.silentRenewPath : context.authPath;
}

/**
 * Every file `release` writes for `options` into `context`, exactly as it wrote them: templates
 * filled in and, where the release did so in a Vitest app, the test functions imported from 'vitest'.
 */
export function renderRelease(release: Release, options: RenderOptions, context: RenderContext, from: History = history()): Files {
  const vitest = release.vitestImports && context.vitestImports;
  const files: Files = new Map();
  for (const folder of release.folders(options)) {
    const destination = destinationOf(folder, context);
    for (const [path, content] of releaseTemplateFolder(release.version, folder, options, from)) {
      if (options.skipTests && isTestFile(path)) {
        continue;
      }
      const spec = vitest && path.endsWith('.spec.ts');
      files.set([destination, path].filter(Boolean).join('/'), spec ? Buffer.from(withVitestImports(content.toString())) : content);
    }
  }
  return files;
}

/** Workspace paths of the files `release` renamed (old → new), for one render context. */
export function renamedPaths(release: Release, context: RenderContext): Map<string, string> {
  const paths = new Map<string, string>();
  const place = (id: string) => {
    const slash = id.indexOf('/');
    return `${destinationOf(id.slice(0, slash), context)}/${id.slice(slash + 1)}`;
  };
  for (const [from, to] of Object.entries(release.renamed)) {
    paths.set(place(from), place(to));
  }
  return paths;
}
