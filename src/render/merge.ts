import { mergeDiff3 } from 'node-diff3';

/** The labels of the three sides of a conflict, as git prints them. */
export interface MergeLabels {
  /** The user's file: `your edits` */
  user: string;
  /** What the recorded release generated: `0.1.0` */
  base: string;
  /** What the installed release generates: `0.3.0` */
  theirs: string;
}

export interface Merged {
  text: string;
  /** 1-based lines of the `<<<<<<<` marker of each conflict, in the merged text. */
  conflicts: number[];
}

const lines = (text: string) => text.split(/\r?\n/);

/**
 * Three-way merge by lines (diff3): the user's changes to `base` and the release's changes to
 * `base` both land; where they touch the same lines, git-style markers hold all three sides
 * (`<<<<<<<` yours, `|||||||` base, `=======` release, `>>>>>>>`). Line endings are the user's.
 */
export function mergeThreeWay(user: string, base: string, theirs: string, labels: MergeLabels): Merged {
  const eol = /\r\n/.test(user) ? '\r\n' : '\n';
  const merged = mergeDiff3(lines(user), lines(base), lines(theirs), {
    excludeFalseConflicts: true,
    label: { a: labels.user, o: labels.base, b: labels.theirs },
  });
  const result = merged.result.map(String);
  const conflicts = result.flatMap((line, index) => (line.startsWith('<<<<<<< ') ? [index + 1] : []));
  return { text: result.join(eol), conflicts };
}

/**
 * How many of `user`'s lines are not in `candidate` (as multisets, white space at the ends
 * ignored): small when the candidate is formatted as the user's file is.
 */
export function distance(user: string, candidate: string): number {
  const counts = new Map<string, number>();
  for (const line of lines(candidate)) {
    const key = line.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let missing = 0;
  for (const line of lines(user)) {
    const key = line.trim();
    const left = counts.get(key) ?? 0;
    if (left) counts.set(key, left - 1);
    else missing++;
  }
  return missing;
}
