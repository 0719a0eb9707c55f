import { ts, TS } from './typescript';

/** Every node below `node`, depth first, in source order. */
export function descendants(node: TS.Node, found: TS.Node[] = []): TS.Node[] {
  ts.forEachChild(node, (child) => {
    found.push(child);
    descendants(child, found);
  });
  return found;
}

/** The first node (`node` itself or below it, depth first) that passes `test`. */
export function find<T extends TS.Node>(node: TS.Node, test: (n: TS.Node) => n is T): T | undefined {
  return test(node) ? node : ts.forEachChild(node, (child) => find(child, test));
}

/** `path:line` (1-based) of a node. */
export function location(source: TS.SourceFile, node: TS.Node): string {
  return `${source.fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
}
