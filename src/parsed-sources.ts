import { Tree } from '@angular-devkit/schematics';
import { SourceFile } from './project-sources';
import { ts, TS } from './typescript';

/**
 * The source files of one run, each parsed once: the root-provider edit and the next steps ask for
 * the same files. Keyed by path and checked against the text, so a file the run has changed since
 * is parsed again.
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
