import { chain, Rule } from '@angular-devkit/schematics';
import { checkProvider } from '../../src/provider-check';
import { registerCollection } from '../../src/schematic-collections';
import { readWorkspaceOrFail } from '../../src/workspace';
import { authRenewIn } from '../auth-renew';
import { Schema } from '../auth-renew/schema';

/** `ng add ngx-auth-renew`: the scaffold, then `ng generate auth-renew` made available as typed. */
export function ngAdd(schema: Schema): Rule {
  return async (tree) => {
    const providerCheck = checkProvider(schema); // asks the provider now, reports last
    const workspace = await readWorkspaceOrFail(tree);
    return chain([authRenewIn(workspace, schema), registerCollection(workspace), providerCheck]);
  };
}
