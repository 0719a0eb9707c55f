import { Tree } from '@angular-devkit/schematics';

/** One source file of the app: workspace-relative path (no leading slash) and text. */
export interface SourceFile {
  path: string;
  text: string;
}

/**
 * The app's own TypeScript sources below `sourceRoot`: specs, declaration files and the folder
 * being generated (`exclude`) left out.
 */
export function projectSources(tree: Tree, sourceRoot: string, exclude: string): SourceFile[] {
  const files: SourceFile[] = [];
  tree.getDir(sourceRoot || '/').visit((path) => {
    const relative = path.replace(/^\/+/, '');
    if (!/\.ts$/.test(relative) || /\.(spec|d)\.ts$/.test(relative) || relative.includes('/node_modules/') ||
      relative === exclude || relative.startsWith(exclude + '/')) {
      return;
    }
    files.push({ path: relative, text: tree.readText(path) });
  });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
