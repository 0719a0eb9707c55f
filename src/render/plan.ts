import { Tree } from '@angular-devkit/schematics';
import { Formatter } from './formatting';
import { distance, MergeLabels, mergeThreeWay } from './merge';
import { Files } from './render';
import { isSameFile } from './same-file';

/**
 * What writing `next` over the files in the workspace does, given `base`: what the earlier run
 * (or release) generated there. Paths are workspace paths (no leading slash), at their new place.
 */
export interface Plan {
  /** Not in the workspace: created. */
  add: string[];
  /** As generated (or only reformatted) and changed by `next`: replaced. */
  replace: string[];
  /** Edited since generated, and changed by `next`: merged three-way. */
  merge: string[];
  /** Edited since generated, not changed by `next`: left as they are. */
  keep: string[];
  /** As generated, no longer in `next`: deleted (inside `deletable` only). */
  remove: string[];
  /** Edited, no longer in `next`: kept. */
  orphan: string[];
  /** No longer in `next`, outside `deletable`: kept and named. */
  stale: string[];
  /** In the workspace and different, with no `base` to tell an edit: a file of the user's own. */
  unknown: string[];
  /** New path → old path of the files `next` renamed that are in the workspace at the old path. */
  movedFrom: Map<string, string>;
}

export interface PlanInput {
  base: Files | undefined;
  next: Files;
  /** Old path → new path of files renamed between `base` and `next`. */
  renamed?: Map<string, string>;
  /** Files that may be deleted when no longer generated (the generated folder). */
  deletable: (path: string) => boolean;
}

export function planFiles(tree: Tree, { base, next, renamed = new Map(), deletable }: PlanInput): Plan {
  const plan: Plan = { add: [], replace: [], merge: [], keep: [], remove: [], orphan: [], stale: [], unknown: [], movedFrom: new Map() };
  const oldPathOf = new Map([...renamed].map(([from, to]) => [to, from]));
  const same = (a: Buffer, b: Buffer, path: string) => isSameFile(a, b, path);
  for (const [path, content] of next) {
    const from = oldPathOf.get(path);
    const moved = from !== undefined && !tree.exists(path) && tree.exists(from);
    const userPath = moved ? from : path;
    const existing = tree.read(userPath);
    const before = base?.get(from ?? path);
    if (moved) {
      plan.movedFrom.set(path, from);
    }
    if (!existing) {
      plan.add.push(path);
    } else if (same(existing, content, path)) {
      if (moved) plan.replace.push(path);
    } else if (!base) {
      plan.unknown.push(path);
    } else if (before && same(existing, before, path)) {
      plan.replace.push(path);
    } else if (before && same(before, content, path)) {
      plan.keep.push(path);
    } else {
      plan.merge.push(path);
    }
  }
  const renamedAway = new Set(renamed.keys());
  for (const [path, content] of base ?? []) {
    if (next.has(path) || (renamedAway.has(path) && next.has(renamed.get(path)!))) {
      continue;
    }
    const existing = tree.read(path);
    if (!existing) {
      continue;
    }
    if (!deletable(path)) plan.stale.push(path);
    else if (same(existing, content, path)) plan.remove.push(path);
    else plan.orphan.push(path);
  }
  for (const list of [plan.add, plan.replace, plan.merge, plan.keep, plan.remove, plan.orphan, plan.stale, plan.unknown]) {
    list.sort();
  }
  return plan;
}

/** What applying a plan did. */
export interface Outcome {
  /** Merged cleanly. */
  merged: string[];
  /** `path:line` of each conflict's `<<<<<<<` marker. */
  conflicts: string[];
}

export interface ApplyInput extends PlanInput {
  labels: MergeLabels;
  /** The ways files may be formatted in the workspace: the merge compares on the user's. */
  formatters: Formatter[];
}

/** The formatting of `base` closest to `user`'s, and `theirs` in the same formatting. */
async function inUsersFormatting(user: string, base: string, theirs: string, path: string, formatters: Formatter[]) {
  let best = { base, theirs, distance: distance(user, base) };
  for (const format of formatters) {
    if (best.distance === 0) {
      break;
    }
    const formatted = await format(base, path);
    const d = distance(user, formatted);
    if (d < best.distance) {
      best = { base: formatted, theirs: await format(theirs, path), distance: d };
    }
  }
  return best;
}

function write(tree: Tree, path: string, content: Buffer | string): void {
  if (tree.exists(path)) tree.overwrite(path, content);
  else tree.create(path, content);
}

/**
 * Applies a plan: adds, replaces and removes files; merges edited files three-way (in the user's
 * formatting, so that reformatting is never a conflict), conflict markers where both changed the
 * same lines; moves renamed files with their edits. Unknown files are replaced (the caller asked).
 */
export async function applyPlan(tree: Tree, plan: Plan, input: ApplyInput): Promise<Outcome> {
  const outcome: Outcome = { merged: [], conflicts: [] };
  const from = (path: string) => plan.movedFrom.get(path) ?? path;
  for (const path of [...plan.add, ...plan.replace, ...plan.unknown]) {
    write(tree, path, input.next.get(path)!);
  }
  for (const path of plan.merge) {
    const user = tree.readText(from(path));
    const base = input.base?.get(from(path))?.toString() ?? '';
    const sides = await inUsersFormatting(user, base, input.next.get(path)!.toString(), path, input.formatters);
    const merged = mergeThreeWay(user, sides.base, sides.theirs, input.labels);
    write(tree, path, merged.text);
    if (merged.conflicts.length) outcome.conflicts.push(...merged.conflicts.map((line) => `${path}:${line}`));
    else outcome.merged.push(path);
  }
  for (const path of plan.keep) {
    if (plan.movedFrom.has(path)) write(tree, path, tree.read(from(path))!);
  }
  for (const [, old] of plan.movedFrom) {
    if (tree.exists(old)) tree.delete(old);
  }
  for (const path of plan.remove) {
    tree.delete(path);
  }
  return outcome;
}
