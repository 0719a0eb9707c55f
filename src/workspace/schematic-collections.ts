import { Rule } from '@angular-devkit/schematics';
import { JSONFile } from '@schematics/angular/utility/json-file';

const OWN_COLLECTION = 'ngx-auth-renew';
const ANGULAR_COLLECTION = '@schematics/angular';
const COLLECTIONS = ['cli', 'schematicCollections'];

/**
 * Registers this package in `cli.schematicCollections` of angular.json so `ng generate auth-renew`
 * works as typed. The Angular collection is kept first (it is the implicit default when the list
 * is absent). One value edited in place: the rest of the file, comments included, stays as it is.
 */
export function registerCollection(): Rule {
  return (tree) => {
    const workspace = new JSONFile(tree, '/angular.json');
    const current = workspace.get(COLLECTIONS);
    const collections = Array.isArray(current) ? current : [ANGULAR_COLLECTION];
    if (!collections.includes(OWN_COLLECTION)) {
      workspace.modify(COLLECTIONS, [...collections, OWN_COLLECTION]);
    }
  };
}
