import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Relative imports of every .ts file under src/, as workspace paths: file → imported files. */
function imports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/');
    const text = readFileSync(join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)]
      .map((m) => posix.normalize(posix.join(posix.dirname(file), m[1])) + '.ts');
    graph.set(file, targets);
  }
  return graph;
}

const stage = (file: string) => file.split('/')[1];

describe('src/ layout', () => {
  it('is grouped by stage, and nothing under src/ imports from schematics/ or migrations/', () => {
    const graph = imports();
    expect([...new Set([...graph.keys()].map(stage))].sort()).toEqual(['next-steps', 'render', 'ts', 'upgrade', 'workspace']);
    const upward = [...graph].flatMap(([file, targets]) => targets.filter((t) => !t.startsWith('src/')).map((t) => `${file} → ${t}`));
    expect(upward).toEqual([]);
  });

  it('has no import cycle between files, nor between its stage folders', () => {
    const graph = imports();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (path.includes(file)) {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
    const stages = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      for (const t of targets) if (stage(t) !== stage(file)) (stages.get(stage(file)) ?? stages.set(stage(file), new Set()).get(stage(file))!).add(stage(t));
    }
    const stageCycles = [...stages].flatMap(([a, deps]) => [...deps].filter((b) => stages.get(b)?.has(a)).map((b) => `${a} ↔ ${b}`));
    expect(stageCycles).toEqual([]);
    expect(dirname('x')).toBe('.');
  });
});
