import { HostTree } from '@angular-devkit/schematics';
import { SchematicTestRunner, UnitTestTree } from '@angular-devkit/schematics/testing';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, '.cache', 'fixtures');

/** Workspaces made by the real Angular CLI (scripts/make-fixtures.sh). */
export type Fixture = 'ng22' | 'ng21-karma' | 'ng20-module' | 'multi' | 'ng22-ssr' | 'ng20-ssr';

export const runner = new SchematicTestRunner('ngx-auth-renew', join(ROOT, 'collection.json'));

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/** A fresh in-memory copy of a CLI-made workspace. */
export function loadFixture(name: Fixture): UnitTestTree {
  const dir = join(FIXTURES, name);
  const tree = new UnitTestTree(new HostTree());
  for (const file of filesBelow(dir)) {
    tree.create('/' + relative(dir, file), readFileSync(file));
  }
  return tree;
}

/** Every file's text, to compare a tree before and after a run. */
export function snapshot(tree: UnitTestTree): Record<string, string> {
  return Object.fromEntries(tree.files.map((path) => [path, tree.readContent(path)]));
}

/** Paths whose content differs between two snapshots (added, removed or changed). */
export function changedFiles(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((path) => before[path] !== after[path]).sort();
}

/** Lines only in `after` (added) and only in `before` (removed), counted as multisets. */
export function lineDiff(before: string, after: string): { added: string[]; removed: string[] } {
  const remaining = before.split('\n');
  const added: string[] = [];
  for (const line of after.split('\n')) {
    const index = remaining.indexOf(line);
    if (index >= 0) {
      remaining.splice(index, 1);
    } else {
      added.push(line);
    }
  }
  return { added, removed: remaining };
}

export const BASE_OPTIONS = { authority: 'https://id.example.com', clientId: 'spa' } as const;

export function runAuthRenew(tree: UnitTestTree, options: Record<string, unknown> = {}): Promise<UnitTestTree> {
  return runner.runSchematic('auth-renew', { ...BASE_OPTIONS, ...options }, tree);
}

/**
 * Runs `schematic`, then the schematics it scheduled with RunSchematicTask (the next steps), on the
 * tree it wrote: what the CLI does once the files are on disk. `runner.tasks` afterwards are those
 * of the last schematic run.
 */
export async function runWithTasks(schematic: string, options: object, tree: UnitTestTree): Promise<UnitTestTree> {
  const after = await runner.runSchematic(schematic, options, tree);
  for (const task of runner.tasks.filter((t) => t.name === 'run-schematic')) {
    const scheduled = task.options as { name: string; options: object };
    await runner.runSchematic(scheduled.name, scheduled.options, after);
  }
  return after;
}
