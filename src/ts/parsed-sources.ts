import { Tree } from '@angular-devkit/schematics';
import { SourceFile } from '../workspace/project-sources';
import { ts, TS } from './typescript';

/**
 * Source files parsed once per search: the root-provider search follows main.ts to the app config
 * and its imports; the next steps look at the files that mention provideHttpClient or AuthService.
 * Keyed by path and checked against the text, so a file changed since is parsed again.
 */
export class ParsedSources {
  private readonly parsed = new Map<string, TS.SourceFile>();

  /** `file` (workspace path, no leading slash) with its text, parsed. */
  parse({ path, text }: SourceFile): TS.SourceFile {
    const cached = this.parsed.get(path);
    if (cached?.text === text) {
      return cached;
    }
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    this.parsed.set(path, source);
    return source;
  }

  /** A workspace file as it is in `tree`, parsed. */
  read(tree: Tree, path: string): TS.SourceFile {
    return this.parse({ path, text: tree.readText(path) });
  }
}
