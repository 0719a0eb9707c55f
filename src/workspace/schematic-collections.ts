import { Rule } from '@angular-devkit/schematics';
import { JsonText } from './json-edits';
import { printOptionsFor } from './prettier-options';

const OWN_COLLECTION = 'ngx-auth-renew';
const ANGULAR_COLLECTION = '@schematics/angular';
const COLLECTIONS = ['cli', 'schematicCollections'];
const WORKSPACE_FILE = '/angular.json';

/**
 * Registers this package in `cli.schematicCollections` of angular.json so `ng generate auth-renew`
 * works as typed. The Angular collection is kept first (it is the implicit default when the list
 * is absent). Only that list changes, in the form prettier gives it with the workspace's config
 * (`["angular-eslint", "ngx-auth-renew"]` stays on one line while it fits): the rest of the file,
 * comments included, stays as it is.
 */
export function registerCollection(): Rule {
  return (tree) => {
    const original = tree.readText(WORKSPACE_FILE);
    const workspace = new JsonText(original, printOptionsFor(tree, WORKSPACE_FILE));
    const current = workspace.get(COLLECTIONS);
    if (current === undefined) {
      workspace.append(COLLECTIONS, [ANGULAR_COLLECTION, OWN_COLLECTION]);
    } else if (Array.isArray(current) && !current.includes(OWN_COLLECTION)) {
      workspace.append(COLLECTIONS, [OWN_COLLECTION]);
    }
    if (workspace.text !== original) {
      tree.overwrite(WORKSPACE_FILE, workspace.text);
    }
  };
}
