import type * as TS from 'typescript';
import { dirname } from 'node:path';

/**
 * The TypeScript that @schematics/angular parses with, so that source files made here can go into
 * its ast-utils. @schematics/angular 20.x and 21.x bundle it at
 * `@schematics/angular/third_party/github.com/Microsoft/TypeScript/lib/typescript`; 22.x dropped that
 * copy and depends on the `typescript` package, resolved here from its own folder.
 */
function load(): typeof TS {
  try {
    return require('@schematics/angular/third_party/github.com/Microsoft/TypeScript/lib/typescript');
  } catch {
    const from = dirname(require.resolve('@schematics/angular/utility/ast-utils'));
    return require(require.resolve('typescript', { paths: [from] }));
  }
}

export const ts = load();
export type { TS };
