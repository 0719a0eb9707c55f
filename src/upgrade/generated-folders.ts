import { DirEntry, Tree } from '@angular-devkit/schematics';
import { WorkspaceDefinition } from '@schematics/angular/utility/workspace';
import { FolderRecord, readRecord, RECORD_FILE } from '../render/generated-folder';
import { resolveProject, TargetProject } from '../workspace/workspace';

export interface GeneratedFolder {
  project: TargetProject;
  record: FolderRecord;
}

/** Folders never searched: installs, outputs, caches. */
const SKIPPED = new Set(['node_modules', 'dist', '.angular', '.git', '.cache', '.nx', 'coverage', 'tmp', 'out-tsc']);

function foldersWith(dir: DirEntry, found: string[] = []): string[] {
  if (dir.subfiles.some((file) => file === 'auth.config.ts' || file === RECORD_FILE)) {
    found.push(dir.path.replace(/^\//, ''));
  }
  for (const sub of dir.subdirs) {
    if (!SKIPPED.has(sub)) {
      foldersWith(dir.dir(sub), found);
    }
  }
  return found;
}

/**
 * Every folder of the workspace's applications that ngx-auth-renew generated (any release, any
 * --path), with the project it belongs to: the application whose root holds it most closely.
 */
export function generatedFolders(tree: Tree, workspace: WorkspaceDefinition): GeneratedFolder[] {
  const applications = [...workspace.projects].filter(([, p]) => p.extensions['projectType'] === 'application');
  const rootOf = (root: string | undefined) => (root ?? '').replace(/^\/+|\/+$/g, '');
  const found: GeneratedFolder[] = [];
  for (const path of foldersWith(tree.getDir('/'))) {
    const owners = applications
      .filter(([, p]) => rootOf(p.root) === '' || path === rootOf(p.root) || path.startsWith(`${rootOf(p.root)}/`))
      .sort(([, a], [, b]) => rootOf(b.root).length - rootOf(a.root).length);
    if (!owners.length) {
      continue;
    }
    let project: TargetProject;
    try {
      project = resolveProject(tree, workspace, owners[0][0], path);
    } catch {
      continue; // a project the CLI could not build either (no main file): nothing of ours to upgrade there
    }
    const record = readRecord(tree, path, project.sourceRoot);
    if (record) {
      found.push({ project, record });
    }
  }
  return found;
}
