import { noop, Rule } from '@angular-devkit/schematics';
import { updateWorkspace, WorkspaceDefinition } from '@schematics/angular/utility/workspace';

const OWN_COLLECTION = 'ngx-auth-renew';
const ANGULAR_COLLECTION = '@schematics/angular';

interface CliExtension {
  schematicCollections?: string[];
}

/**
 * Registers this package in `cli.schematicCollections` so `ng generate auth-renew` works as typed.
 * The Angular collection is kept first (it is the implicit default when the list is absent).
 */
export function registerCollection(workspace: WorkspaceDefinition): Rule {
  const current = (workspace.extensions['cli'] as CliExtension | undefined)?.schematicCollections;
  if (current?.includes(OWN_COLLECTION)) {
    return noop();
  }
  return updateWorkspace((edited) => {
    const cli = (edited.extensions['cli'] ??= {}) as CliExtension;
    cli.schematicCollections = [...(cli.schematicCollections ?? [ANGULAR_COLLECTION]), OWN_COLLECTION];
  });
}
