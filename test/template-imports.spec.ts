import * as ts from 'typescript';
import { authFolderFiles, everyShape, shapeName } from './template-shapes';

/**
 * The generated folder's import graph has no cycle, in every option shape: a file never needs,
 * through any chain of relative imports (`import`, `import type`, `export … from`, `import()`),
 * a file that needs it. Checked once for the app's code alone and once with the specs and
 * auth.testing.ts.
 */

/** The relative module specifiers `code` imports or re-exports, statically or dynamically. */
function relativeImports(name: string, code: string): string[] {
  const source = ts.createSourceFile(name, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      specifier = node.moduleSpecifier;
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      specifier = node.arguments[0];
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      specifier = node.argument.literal;
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      found.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Edges of the graph, by file name; throws on a relative import of a file the folder lacks. */
function importGraph(files: Map<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [name, code] of files) {
    if (!name.endsWith('.ts')) continue;
    graph.set(name, relativeImports(name, code).map((specifier) => {
      const target = `${specifier.replace(/^\.\//, '')}.ts`;
      if (specifier.slice(2).includes('/') || !files.has(target)) {
        throw new Error(`${name} imports ${specifier}, which is not a file of the generated folder`);
      }
      return target;
    }));
  }
  return graph;
}

/** Every cycle (`a.ts → b.ts → a.ts`) a depth-first walk meets, each once whatever its start. */
function cycles(graph: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const done = new Set<string>();
  const path: string[] = [];
  const walk = (node: string) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      const cycle = path.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      found.add([...rotated, rotated[0]].join(' → '));
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node) ?? []) walk(next);
    path.pop();
    done.add(node);
  };
  [...graph.keys()].sort().forEach(walk);
  return [...found].sort();
}

const isTestFile = (name: string) => /\.(spec|testing)\.ts$/.test(name);

describe('the import graph of the generated code', () => {
  it('finds a cycle and names it (the check itself)', () => {
    const graph = importGraph(new Map([
      ['a.ts', `import type { B } from './b';`],
      ['b.ts', `export { C } from './c';`],
      ['c.ts', `export const load = () => import('./a');`],
      ['d.ts', `import { A } from './a';`],
    ]));
    expect(cycles(graph)).toEqual(['a.ts → b.ts → c.ts → a.ts']);
    expect(() => importGraph(new Map([['a.ts', `import './missing';`]])))
      .toThrowError(`a.ts imports ./missing, which is not a file of the generated folder`);
  });

  for (const options of everyShape()) {
    const shape = shapeName(options);

    it(`${shape}: the app's code imports no file that imports it back`, () => {
      const files = authFolderFiles(options);
      const code = new Map([...files].filter(([name]) => !isTestFile(name)));
      expect(code.has('auth.service.ts')).toBe(true);
      expect(code.has('auth-config.ts')).withContext('the config type and token have a file of their own').toBe(true);
      expect(cycles(importGraph(code))).withContext(shape).toEqual([]);
    });

    it(`${shape}: with the specs and auth.testing.ts, still no cycle`, () => {
      const files = authFolderFiles(options);
      expect([...files.keys()].filter(isTestFile).length).toBeGreaterThan(5);
      expect(cycles(importGraph(files))).withContext(shape).toEqual([]);
    });
  }
});
