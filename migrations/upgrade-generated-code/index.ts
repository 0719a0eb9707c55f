import { Rule } from '@angular-devkit/schematics';
import { upgradeGeneratedCode } from '../../src/upgrade/upgrade-workspace';

/**
 * Every entry of migration-collection.json (one per release that changed generated code) runs this
 * one mechanism. It brings each generated folder from the release recorded in it to the installed
 * release in one three-way merge, so the newest entry, which `ng update` runs whatever the version
 * it comes from, does the work, and the older entries leave it to it.
 */
export default function (): Rule {
  return upgradeGeneratedCode();
}
