import { ParsedSources } from '../ts/parsed-sources';
import { descendants, location } from '../ts/ts-ast';
import { namedImports } from '../ts/ts-imports';
import { ts, TS } from '../ts/typescript';
import { SourceFile } from '../workspace/project-sources';

/** An interceptor of the app's own that sets the Authorization header. */
export interface AuthorizationInterceptor {
  /** Its name: the class, the const or the function. */
  name: string;
  /** `path:line` where it sets the header. */
  at: string;
  /** `path:line` and how it is registered (`withInterceptors`, `HTTP_INTERCEPTORS`), if found. */
  registered?: { at: string; how: 'withInterceptors' | 'HTTP_INTERCEPTORS' };
}

/** A node that names the Authorization header: `Authorization:` in an object, or 'Authorization' given to a call. */
function namesAuthorization(node: TS.Node): boolean {
  const isHeader = (text: string) => text.toLowerCase() === 'authorization';
  if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
    (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && isHeader(node.name.text)) {
    return true;
  }
  return ts.isStringLiteralLike(node) && isHeader(node.text) &&
    (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) && node.parent.arguments?.includes(node) === true;
}

function typeNamed(type: TS.TypeNode | undefined, names: string[]): boolean {
  return !!type && ts.isTypeReferenceNode(type) && names.includes(type.typeName.getText());
}

/** The interceptor around `node`: a class with `intercept` (or implementing HttpInterceptor), or an HttpInterceptorFn. */
function enclosingInterceptor(node: TS.Node): { name: string; kind: 'class' | 'function' } | undefined {
  for (let n: TS.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isClassDeclaration(n) && n.name) {
      const implementsIt = n.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText() === 'HttpInterceptor'));
      const intercepts = n.members.some((m) => ts.isMethodDeclaration(m) && m.name.getText() === 'intercept');
      return implementsIt || intercepts ? { name: n.name.text, kind: 'class' } : undefined;
    }
    const fn = ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) ? n : undefined;
    const handlerParam = fn?.parameters.some((p) => typeNamed(p.type, ['HttpHandlerFn']));
    if (fn && ts.isFunctionDeclaration(fn) && fn.name) {
      return handlerParam ? { name: fn.name.text, kind: 'function' } : undefined;
    }
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer &&
      (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))) {
      const typed = typeNamed(n.type, ['HttpInterceptorFn']) ||
        n.initializer.parameters.some((p) => typeNamed(p.type, ['HttpHandlerFn']));
      return typed ? { name: n.name.text, kind: 'function' } : undefined;
    }
  }
  return undefined;
}

/** Exported name → where it is registered: `withInterceptors([x])` elements, `{ provide: HTTP_INTERCEPTORS, useClass: X }`. */
function registrations(sources: TS.SourceFile[]): Map<string, NonNullable<AuthorizationInterceptor['registered']>> {
  const found = new Map<string, NonNullable<AuthorizationInterceptor['registered']>>();
  for (const source of sources) {
    const imports = namedImports(source);
    const exported = (local: string) => imports.get(local)?.name ?? local;
    for (const node of descendants(source)) {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && exported(node.expression.text) === 'withInterceptors') {
        const list = node.arguments[0];
        for (const element of list && ts.isArrayLiteralExpression(list) ? list.elements : []) {
          if (ts.isIdentifier(element) && !found.has(exported(element.text))) {
            found.set(exported(element.text), { at: location(source, element), how: 'withInterceptors' });
          }
        }
      }
      if (ts.isObjectLiteralExpression(node)) {
        const value = (name: string) => node.properties.find((p): p is TS.PropertyAssignment =>
          ts.isPropertyAssignment(p) && p.name.getText() === name)?.initializer;
        const provide = value('provide');
        const useClass = value('useClass') ?? value('useExisting');
        if (provide && ts.isIdentifier(provide) && exported(provide.text) === 'HTTP_INTERCEPTORS' && useClass && ts.isIdentifier(useClass) &&
          !found.has(exported(useClass.text))) {
          found.set(exported(useClass.text), { at: location(source, node), how: 'HTTP_INTERCEPTORS' });
        }
      }
    }
  }
  return found;
}

/**
 * The app's own interceptors that set the Authorization header (class-based HttpInterceptor or
 * functional HttpInterceptorFn), each with the line that sets it and where it is registered.
 */
export function authorizationInterceptors(files: SourceFile[], sources: ParsedSources): AuthorizationInterceptor[] {
  const parsed = files.filter((f) => /authorization|withInterceptors|HTTP_INTERCEPTORS/i.test(f.text)).map((f) => sources.parse(f));
  const registered = registrations(parsed);
  const found: AuthorizationInterceptor[] = [];
  for (const source of parsed.filter((s) => /authorization/i.test(s.text))) {
    for (const node of descendants(source).filter(namesAuthorization)) {
      const interceptor = enclosingInterceptor(node);
      if (interceptor && !found.some((f) => f.name === interceptor.name && f.at.startsWith(`${source.fileName}:`))) {
        found.push({ name: interceptor.name, at: location(source, node), registered: registered.get(interceptor.name) });
      }
    }
  }
  return found;
}

/** One next step per interceptor of the app's own that sets Authorization. */
export function authorizationInterceptorSteps(files: SourceFile[], sources: ParsedSources): string[] {
  return authorizationInterceptors(files, sources).map(({ name, at, registered }) => {
    const where = registered ? ` (registered with ${registered.how} at ${registered.at})` : '';
    return `${at}: your ${name} sets the Authorization header too${where}; with the generated authInterceptor registered, both would set it ` +
      `on the same requests: remove ${name}${registered ? ' from there' : ''}, or have it skip the URLs in secureRoutes.`;
  });
}
