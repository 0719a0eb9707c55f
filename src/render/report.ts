import { Outcome, Plan } from './plan';

const name = (folder: string) => (path: string) => (path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : path);

/**
 * The lines that say what an upgrade of one folder did, file names relative to the folder:
 * `  replaced: a.ts, b.ts` … one line per kind that happened; conflicts as workspace `path:line`.
 */
export function upgradeLines(folder: string, plan: Plan, outcome: Outcome): string[] {
  const short = name(folder);
  const list = (paths: string[]) => paths.map(short).join(', ');
  const moved = [...plan.movedFrom].map(([to, from]) => `${short(from)} → ${short(to)}`);
  return [
    plan.replace.length ? `  replaced (not edited since generated): ${list(plan.replace)}` : '',
    outcome.merged.length ? `  merged with your edits: ${list(outcome.merged)}` : '',
    outcome.conflicts.length ? `  conflicts (your edits and the release changed the same lines; resolve the marked lines): ${outcome.conflicts.join(', ')}` : '',
    plan.keep.length ? `  kept (edited, unchanged by the release): ${list(plan.keep)}` : '',
    plan.add.length ? `  added: ${list(plan.add)}` : '',
    plan.remove.length ? `  removed (no longer used, not edited): ${list(plan.remove)}` : '',
    plan.orphan.length ? `  kept (no longer used, but edited by you: delete when done): ${list(plan.orphan)}` : '',
    moved.length ? `  moved: ${moved.join(', ')}` : '',
    plan.stale.length ? `  no longer used (kept: the app serves them): ${plan.stale.join(', ')}` : '',
  ].filter(Boolean);
}
