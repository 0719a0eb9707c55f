import { Rule } from '@angular-devkit/schematics';
import { upgradeGeneratedCode } from '../../src/upgrade/upgrade-workspace';

/**
 * Every entry of migration-collection.json runs this one mechanism: it brings each generated
 * folder from the release that made it to the installed one, so one run does the whole upgrade and
 * the entries after it find nothing left to do.
 */
export default function (): Rule {
  return upgradeGeneratedCode();
}
