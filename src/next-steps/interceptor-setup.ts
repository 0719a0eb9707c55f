import { specifierFor } from '../ts/module-paths';
import { ParsedSources } from '../ts/parsed-sources';
import { SourceFile } from '../workspace/project-sources';
import { descendants, location } from '../ts/ts-ast';
import { ImportedName, namedImports } from '../ts/ts-imports';
import { ts, TS } from '../ts/typescript';

const OURS = 'authInterceptor';
const ALIAS = 'oidcAuthInterceptor';

/** Code spread over lines, as one line (for a message). */
function oneLine(code: string): string {
  return code.replace(/\s*\n\s*/g, ' ').replace(/([([]) /g, '$1').replace(/,? ([)\]])/g, '$1');
}

/** ` (import ...; import ...)`, or nothing when no import is needed. */
function importNote(imports: string[]): string {
  const needed = imports.filter(Boolean);
  return needed.length ? ` (${needed.join('; ')})` : '';
}

/** `code` with `insert` put at `offset` (both relative to `node`'s text). */
function inserted(node: TS.Node, at: number, insert: string): string {
  const text = node.getText();
  const offset = at - node.getStart();
  return text.slice(0, offset) + insert + text.slice(offset);
}

function isCallTo(node: TS.Node, names: Set<string>): node is TS.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text);
}

/** The workspace path a relative import names, else its specifier (a package, or a path mapped by tsconfig). */
function from(imported: ImportedName): string {
  return imported.module ?? imported.specifier;
}

/** Whether the file imports `name` from @angular/common/http. */
function importsHttp(imports: Map<string, ImportedName>, name: string): boolean {
  return [...imports.values()].some((i) => i.name === name && from(i) === '@angular/common/http');
}

/** Local names under which `file` can call `name` from @angular/common/http. */
function localNames(imports: Map<string, ImportedName>, name: string): Set<string> {
  const names = new Set([name]);
  for (const [local, imported] of imports) {
    if (imported.name === name && from(imported) === '@angular/common/http') names.add(local);
  }
  return names;
}

/** The first file that declares or imports an `authInterceptor` that is not the generated one. */
function ownAuthInterceptor(files: TS.SourceFile[], ours: string): string | undefined {
  return files.find((source) => {
    const imported = namedImports(source).get(OURS);
    if (imported) {
      return from(imported) !== ours;
    }
    return descendants(source).some((node) =>
      (ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) &&
      node.name !== undefined && ts.isIdentifier(node.name) && node.name.text === OURS);
  })?.fileName;
}

/**
 * What is still missing to send the access token with HttpClient requests: the edit of the app's
 * `provideHttpClient(...)` call (named by file:line) that registers the generated interceptor, or
 * nothing when it is registered. One message per line.
 */
export function interceptorSteps(files: SourceFile[], authPath: string, sources: ParsedSources): string[] {
  const ours = `${authPath}/auth.interceptor`;
  const parsed = files.filter((f) => /provideHttpClient|authInterceptor/.test(f.text)).map((f) => sources.parse(f));
  const own = ownAuthInterceptor(parsed, ours);
  const steps: string[] = [];
  const calls = parsed.flatMap((source) => {
    const names = localNames(namedImports(source), 'provideHttpClient');
    return descendants(source).filter((n) => isCallTo(n, names)).map((call) => ({ source, call }));
  });
  const withProvideAuth = files.find((file) => file.text.includes('provideAuth('))?.path;
  const chosen = calls.find((c) => c.source.fileName === withProvideAuth) ?? calls[0];
  const file = chosen?.source.fileName ?? withProvideAuth;
  const imports = chosen ? namedImports(chosen.source) : new Map<string, ImportedName>();
  const importedOurs = [...imports].find(([, i]) => i.name === OURS && from(i) === ours)?.[0];
  const name = importedOurs ?? (own ? ALIAS : OURS);
  const specifier = file ? specifierFor(file, ours) : `./${ours}`;
  const importOurs = importedOurs ? '' : `import { ${name === OURS ? OURS : `${OURS} as ${name}`} } from '${specifier}'`;
  const importHttp = (symbols: string[]) => symbols.length ? `import { ${symbols.join(', ')} } from '@angular/common/http'` : '';
  if (own && !importedOurs) {
    steps.push(`${own} already has an ${OURS} of its own: import the generated one as ${ALIAS}, as below.`);
  }
  if (!chosen) {
    const where = file ? `the providers in ${file}` : 'your root providers';
    steps.push(`Register the interceptor: add provideHttpClient(withInterceptors([${name}])) to ${where}` +
      `${importNote([importHttp(['provideHttpClient', 'withInterceptors']), importOurs])}.`);
    return steps;
  }
  const { source, call } = chosen;
  const withInterceptors = call.arguments.find((a) => isCallTo(a, localNames(imports, 'withInterceptors'))) as
    TS.CallExpression | undefined;
  const at = location(source, withInterceptors ?? call);
  if (!withInterceptors) {
    const last = call.arguments[call.arguments.length - 1];
    const after = last
      ? inserted(call, last.getEnd(), `, withInterceptors([${name}])`)
      : inserted(call, call.arguments.pos, `withInterceptors([${name}])`);
    const importWith = importHttp(importsHttp(imports, 'withInterceptors') ? [] : ['withInterceptors']);
    steps.push(`Register the interceptor: in ${at} change ${oneLine(call.getText())} to ${oneLine(after)}` +
      `${importNote([importWith, importOurs])}.`);
    return steps;
  }
  const list = withInterceptors.arguments[0];
  if (!list || !ts.isArrayLiteralExpression(list)) {
    steps.push(`Register the interceptor: in ${at} add ${name} to the interceptors given to ` +
      `${oneLine(withInterceptors.getText())}${importNote([importOurs])}.`);
    return steps;
  }
  if (list.elements.some((e) => ts.isIdentifier(e) && e.text === importedOurs)) {
    return steps;
  }
  const lastElement = list.elements[list.elements.length - 1];
  const after = lastElement
    ? inserted(withInterceptors, lastElement.getEnd(), `, ${name}`)
    : inserted(withInterceptors, list.elements.pos, name);
  steps.push(`Register the interceptor: in ${at} change ${oneLine(withInterceptors.getText())} to ${oneLine(after)}${importNote([importOurs])}.`);
  return steps;
}
