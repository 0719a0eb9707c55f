import { chain, Rule } from '@angular-devkit/schematics';
import { registerCollection } from '../../src/workspace/schematic-collections';
import { readWorkspaceOrFail } from '../../src/workspace/workspace';
import { authRenewIn } from '../auth-renew';
import { Schema } from '../../src/render/schema';

/**
 * `ng add ngx-auth-renew`: the scaffold, then `ng generate auth-renew` made available as typed; once
 * the files are written, the next steps and what the provider's discovery document says about it.
 */
export function ngAdd(schema: Schema): Rule {
  return async (tree) => {
    const workspace = await readWorkspaceOrFail(tree);
    return chain([authRenewIn(workspace, schema, { checkProvider: true }), registerCollection()]);
  };
}
