import { Rule, SchematicsException, Tree } from '@angular-devkit/schematics';
// Internal path, present in @schematics/angular 20, 21 and 22: utility/ast-utils (addSymbolToNgModuleMetadata).
import { addSymbolToNgModuleMetadata } from '@schematics/angular/utility/ast-utils';
import { InsertChange } from '@schematics/angular/utility/change';
import { appendToArray } from './providers-array';
import { ParsedSources } from './parsed-sources';
import { CannotEdit, findRootProviders, RootProviders } from './providers-location';
import { applyEdits, Edit } from './text-edits';
import { find } from './ts-ast';
import { addImports, freeName, importedAs, importLine, NamedImport } from './ts-imports';
import { ts, TS } from './typescript';
import { TargetProject } from '../workspace/workspace';

/** The provider call and its imports as they go into one file, with aliases where a name is taken. */
interface Wiring {
  call: string;
  /** Imports the file lacks. */
  missing: NamedImport[];
  /** Both imports, for the by-hand message. */
  all: NamedImport[];
  wired: boolean;
}

function wiringFor(source: TS.SourceFile, project: TargetProject): Wiring {
  const [provide, config] = [
    { name: 'provideAuth', module: `${project.authPath}/provide-auth`, alias: 'provideAuthRenewal' },
    { name: 'authConfig', module: `${project.authPath}/auth.config`, alias: 'authRenewalConfig' },
  ].map(({ alias, ...wanted }) => {
    const existing = importedAs(source, wanted);
    return { ...wanted, existing, local: existing ?? freeName(source, wanted.name, alias) };
  });
  const isProvideCall = (node: TS.Node): node is TS.CallExpression => ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) && node.expression.text === provide.existing;
  return {
    call: `${provide.local}(${config.local})`,
    missing: [provide, config].filter((i) => !i.existing),
    all: [provide, config],
    wired: provide.existing !== undefined && find(source, isProvideCall) !== undefined,
  };
}

function editsFor(found: RootProviders, call: string): Edit[] {
  if (found.array) {
    return appendToArray(found.source, found.array, call);
  }
  // The CLI's own way of adding a key to @NgModule metadata (it finds the decorator in the file).
  return addSymbolToNgModuleMetadata(found.source, found.file, 'providers', call, null)
    .filter((change): change is InsertChange => change instanceof InsertChange)
    .map((change) => ({ pos: change.pos, text: change.toAdd }));
}

function byHand(error: CannotEdit, wiring: Wiring): SchematicsException {
  const { file, source } = error.at;
  const line = error.node ? `:${source.getLineAndCharacterOfPosition(error.node.getStart(source)).line + 1}` : '';
  const imports = wiring.all.map((i) => importLine(file, i, `'`, '')).join('; ');
  return new SchematicsException(
    `${file}${line}: ${error.reason}; add ${wiring.call} (${imports}) to ${error.target} by hand.`);
}

/**
 * Plans `provideAuth(authConfig)` in the root providers (app config, bootstrapApplication options
 * or AppModule): the new text of that file, or undefined when the file already calls the
 * provideAuth imported from the generated folder. Reads only; throws,
 * naming the line to add by hand, on a shape it cannot edit safely.
 */
export function planProvideAuth(tree: Tree, project: TargetProject):
  { file: string; text: string } | undefined {
  let found: RootProviders;
  try {
    found = findRootProviders({ tree, sources: new ParsedSources() }, project.mainPath);
  } catch (e) {
    if (!(e instanceof CannotEdit)) {
      throw e;
    }
    const wiring = wiringFor(e.at.source, project);
    if (wiring.wired) {
      return undefined;
    }
    throw byHand(e, wiring);
  }
  const wiring = wiringFor(found.source, project);
  if (wiring.wired) {
    return undefined;
  }
  const edits = [...addImports(found.source, found.file, wiring.missing), ...editsFor(found, wiring.call)];
  return { file: found.file, text: applyEdits(found.source.text, edits) };
}

/** Writes a planned edit. */
export function addProvideAuth(plan: ReturnType<typeof planProvideAuth>): Rule {
  return (tree) => {
    if (plan) {
      tree.overwrite(plan.file, plan.text);
    }
  };
}
