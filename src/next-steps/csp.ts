import { Tree } from '@angular-devkit/schematics';
import { ParsedSources } from '../ts/parsed-sources';
import { descendants } from '../ts/ts-ast';
import { ts, TS } from '../ts/typescript';
import { indexHtmlPath } from '../workspace/index-html';
import { SourceFile } from '../workspace/project-sources';
import { TargetProject } from '../workspace/workspace';

/** Directive name → its sources, as a policy lists them (`'self'`, `https://id.example.com`, `https:`). */
export type Directives = Map<string, string[]>;

/** A Content-Security-Policy header or meta value, parsed (CSP3 §2.2.1: the first of a repeated directive counts). */
export function parsePolicy(policy: string): Directives {
  const directives: Directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !directives.has(name.toLowerCase())) {
      directives.set(name.toLowerCase(), sources);
    }
  }
  return directives;
}

/** What a request of each kind falls back to when its directive is absent (CSP3). */
const FALLBACKS: Record<string, string[]> = {
  'connect-src': ['connect-src', 'default-src'],
  'frame-src': ['frame-src', 'child-src', 'default-src'],
};

/** Keywords that say nothing about fetches and frames: dropped when a fallback's sources are copied. */
const SCRIPT_ONLY = /^'(unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|wasm-unsafe-eval|report-sample|unsafe-allow-redirects|nonce-.*|sha(256|384|512)-.*)'$/i;

/** Whether `sources` let a request to `origin` through (`*`, a scheme source, or a host source without a path). */
export function allows(sources: string[], origin: string): boolean {
  const url = new URL(origin);
  return sources.some((source) => {
    const s = source.toLowerCase();
    if (s === '*') {
      return url.protocol === 'http:' || url.protocol === 'https:';
    }
    if (/^[a-z][a-z0-9+.-]*:$/.test(s)) {
      return s === url.protocol || (s === 'http:' && url.protocol === 'https:');
    }
    const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-z0-9.-]+)(?::(\d+|\*))?(\/.*)?$/.exec(s);
    if (!match || (match[4] && match[4] !== '/')) {
      return false;
    }
    const [, scheme, host, port] = match;
    const upgrade = scheme === 'http' && url.protocol === 'https:';
    const schemeOk = scheme ? scheme === url.protocol.slice(0, -1) || upgrade : url.protocol === 'https:' || url.protocol === 'http:';
    const hostOk = host === '*' || (host.startsWith('*.') ? url.hostname.endsWith(host.slice(1)) : url.hostname === host);
    const defaultPort = (protocol: string) => (protocol === 'https:' || protocol === 'https' ? '443' : '80');
    const urlPort = url.port || defaultPort(url.protocol);
    const sourcePort = port ?? defaultPort(scheme ?? url.protocol);
    const portOk = port === '*' || sourcePort === urlPort || (!port && upgrade && urlPort === '443');
    return schemeOk && hostOk && portOk;
  });
}

/** One directive to write so that the app reaches the provider. */
export interface DirectiveEdit {
  name: string;
  /** The directive's sources once edited. */
  sources: string[];
  /** Its sources now, when the policy has it (the edit appends the origin). */
  existing?: string[];
  /** The directive it falls back to now, when the policy lacks it (its sources are kept). */
  fallback?: string;
}

/**
 * The directives a policy needs so that the app still reaches its own origin and the provider
 * (`connect-src`; `frame-src` too for iframe renewal): an existing directive gets the origin
 * appended; a missing one whose fallback (default-src, child-src) restricts it is written with the
 * fallback's sources and the origin, since writing it replaces the fallback for those requests
 * ('self' is kept: the app's own calls, and the silent-renew page the provider redirects the frame to).
 * Nothing for a directive that already allows the origin or that nothing restricts.
 */
export function directiveEdits(directives: Directives, authority: string, renewal: string): DirectiveEdit[] {
  const origin = new URL(authority).origin;
  const needed = renewal === 'iframe' ? ['connect-src', 'frame-src'] : ['connect-src'];
  return needed.flatMap((name): DirectiveEdit[] => {
    const governing = FALLBACKS[name].find((d) => directives.has(d));
    if (!governing) {
      return [];
    }
    const sources = directives.get(governing)!;
    if (allows(sources, origin)) {
      return [];
    }
    if (governing === name) {
      return [{ name, existing: sources, sources: [...sources.filter((s) => s !== "'none'"), origin] }];
    }
    const kept = sources.filter((s) => s !== "'none'" && !SCRIPT_ONLY.test(s));
    return [{ name, fallback: governing, sources: [...kept, origin] }];
  });
}

/** `connect-src 'self' https://id.example.com` */
export function directiveText(name: string, sources: string[]): string {
  return [name, ...sources].join(' ');
}

/** The edits as a policy's text: "change A to B, and add C". */
function policyWording(edits: DirectiveEdit[]): string {
  const changes = edits.filter((e) => e.existing).map((e) =>
    `change ${directiveText(e.name, e.existing!)} to ${directiveText(e.name, e.sources)}`);
  const added = edits.filter((e) => !e.existing).map((e) => directiveText(e.name, e.sources));
  const add = added.length ? `add the directive${added.length > 1 ? 's' : ''} ${added.join('; ')}` : '';
  return [...changes, add].filter(Boolean).join(', and ');
}

/** Why the added directives keep the fallback's sources: one parenthesis, or nothing. */
function fallbackNote(edits: DirectiveEdit[], directives: Directives): string {
  const fallbacks = [...new Set(edits.filter((e) => e.fallback).map((e) => e.fallback!))];
  if (!fallbacks.length) {
    return '';
  }
  const now = fallbacks.map((f) => directiveText(f, directives.get(f)!)).join(' and ');
  return ` (${now} applies to those requests now; a directive you add replaces it for them, so it keeps its sources)`;
}

/**
 * The next step for a policy written as text (a `<meta>` content, a header value) at `at`: the
 * directives to add or change, exactly as they are to be written; undefined when the policy
 * already lets the app reach the provider.
 */
export function policyStep(at: string, directives: Directives, authority: string, renewal: string): string | undefined {
  const edits = directiveEdits(directives, authority, renewal);
  return edits.length
    ? `Your Content-Security-Policy (${at}) blocks ${new URL(authority).origin}: ${policyWording(edits)}${fallbackNote(edits, directives)}.`
    : undefined;
}

/** Where the app sets a policy and what it says, as far as it can be read. */
interface PolicySite {
  /** `src/index.html:6`, `src/server.ts:14` */
  at: string;
  /** The directives in force; undefined when the policy could not be read here. */
  directives?: Directives;
  /**
   * Where helmet takes the directives: its `directives` object, the options of
   * helmet.contentSecurityPolicy() (or helmet's `contentSecurityPolicy` object) that have none, or
   * the options of helmet() that have no `contentSecurityPolicy`. Absent: a policy text.
   */
  helmet?: 'directives' | 'csp-options' | 'helmet-options';
}

const META = /<meta\s[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/gi;

function htmlDecoded(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#0*39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** The CSP `<meta>` tags of index.html. */
function metaSites(tree: Tree, project: TargetProject): PolicySite[] {
  const index = indexHtmlPath(project);
  if (!tree.exists(index)) {
    return [];
  }
  const html = tree.readText(index);
  return [...html.matchAll(META)].map((meta) => {
    const content = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(meta[0]);
    const value = content ? htmlDecoded(content[1] ?? content[2]) : undefined;
    return { at: `${index}:${lineAt(html, meta.index)}`, directives: value === undefined ? undefined : parsePolicy(value) };
  });
}

/** Helmet's default policy: of what matters here, `default-src 'self'` (helmet 4 to 8). */
const HELMET_DEFAULTS: [string, string[]][] = [['default-src', ["'self'"]]];

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function propertyNamed(object: TS.ObjectLiteralExpression, name: string): TS.PropertyAssignment | undefined {
  return object.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) &&
    (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

/** Sources of a helmet directive value (array of strings, or one string); undefined when not literal. */
function helmetSources(value: TS.Expression): string[] | undefined {
  if (ts.isStringLiteralLike(value)) {
    return value.text.split(/\s+/).filter(Boolean);
  }
  if (!ts.isArrayLiteralExpression(value)) {
    return undefined;
  }
  // A function (a nonce per request) is a script source: it does not bear on connect-src or frame-src.
  return value.elements.flatMap((e) => ts.isStringLiteralLike(e) ? [e.text] : ts.isArrowFunction(e) || ts.isFunctionExpression(e) ? ["'nonce-…'"] : ['…']);
}

/**
 * The policy a helmet call sets: its `contentSecurityPolicy` options (or those of
 * helmet.contentSecurityPolicy()); null when it turns the policy off (`contentSecurityPolicy: false`).
 */
function helmetSite(source: TS.SourceFile, call: TS.CallExpression): PolicySite | null {
  const at = `${source.fileName}:${source.getLineAndCharacterOfPosition(call.getStart(source)).line + 1}`;
  const whole = !ts.isPropertyAccessExpression(call.expression);
  const options = call.arguments[0];
  let csp: TS.Expression | undefined = options;
  if (whole) {
    if (options && !ts.isObjectLiteralExpression(options)) {
      return { at, helmet: 'helmet-options' };
    }
    const property = options ? propertyNamed(options, 'contentSecurityPolicy') : undefined;
    if (property?.initializer.kind === ts.SyntaxKind.FalseKeyword) {
      return null;
    }
    csp = property?.initializer;
  }
  const directives: Directives = new Map();
  if (csp && !ts.isObjectLiteralExpression(csp)) {
    return { at, helmet: 'csp-options' };
  }
  const useDefaults = csp ? propertyNamed(csp, 'useDefaults')?.initializer.kind !== ts.SyntaxKind.FalseKeyword : true;
  const given = csp ? propertyNamed(csp, 'directives')?.initializer : undefined;
  if (given && !ts.isObjectLiteralExpression(given)) {
    return { at, helmet: 'directives' };
  }
  for (const property of given?.properties ?? []) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
      return { at, helmet: 'directives' };
    }
    const sources = helmetSources(property.initializer);
    if (!sources) {
      return { at, helmet: 'directives' };
    }
    directives.set(kebab(property.name.text), sources);
  }
  for (const [name, sources] of useDefaults ? HELMET_DEFAULTS : []) {
    if (!directives.has(name)) directives.set(name, sources);
  }
  return { at: given ? `${source.fileName}:${source.getLineAndCharacterOfPosition(given.getStart(source)).line + 1}` : at,
    directives, helmet: given ? 'directives' : csp || !whole ? 'csp-options' : 'helmet-options' };
}

const POLICY_TEXT = /(^|;|\s)(default|connect|frame|child|script|style|img)-src\s/;
const IN_CODE = /Content-Security-Policy|contentSecurityPolicy|helmet/;

/** The policies a server file sets: helmet calls, and policy strings (a header value); null for a helmet call with the policy off. */
function codeSites(source: TS.SourceFile): (PolicySite | null)[] {
  const sites: (PolicySite | null)[] = [];
  for (const node of descendants(source)) {
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(source);
      if (/^helmet$|^helmet\.contentSecurityPolicy$|^contentSecurityPolicy$/.test(callee)) {
        sites.push(helmetSite(source, node));
      }
    } else if (ts.isStringLiteralLike(node) && POLICY_TEXT.test(`${node.text} `) &&
      !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) {
      sites.push({ at: `${source.fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`,
        directives: parsePolicy(node.text) });
    }
  }
  return sites;
}

/**
 * Every place the app sets a Content-Security-Policy: the CSP `<meta>` tags of index.html, then
 * server.ts and the project's sources that mention one (helmet, a header value). A file that
 * mentions a policy in a way not read here counts once, as a policy that could not be read.
 */
function policySites(tree: Tree, project: TargetProject, sources: SourceFile[], parsed: ParsedSources): PolicySite[] {
  const root = project.definition.root ? `${project.definition.root.replace(/\/+$/, '')}/` : '';
  const server = [`${root}server.ts`, `${project.sourceRoot}/server.ts`].find((path) => tree.exists(path));
  const files = [...(server ? [{ path: server, text: tree.readText(server) }] : []), ...sources.filter((f) => f.path !== server)];
  return [
    ...metaSites(tree, project),
    ...files.filter((file) => IN_CODE.test(file.text)).flatMap((file) => {
      const sites = codeSites(parsed.parse(file));
      return sites.length ? sites.filter((site): site is PolicySite => site !== null) : [{ at: file.path }];
    }),
  ];
}

/** `connectSrc: ["'self'", "https://id.example.com"]` */
function helmetText(name: string, sources: string[]): string {
  const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${key}: [${sources.map((s) => JSON.stringify(s)).join(', ')}]`;
}

/**
 * The next steps for the app's Content-Security-Policy, one line per policy that would block the
 * provider: the exact directives to write, keeping 'self' and the sources the policy has. Nothing
 * when the app sets no policy, or its policies already let the provider through.
 */
export function cspSteps(tree: Tree, project: TargetProject, sources: SourceFile[], parsed: ParsedSources,
  authority: string, renewal: string): string[] {
  const origin = new URL(authority).origin;
  const kinds = renewal === 'iframe' ? 'connect-src and frame-src' : 'connect-src';
  return policySites(tree, project, sources, parsed).flatMap((site): string[] => {
    if (!site.directives) {
      return [`Your app sets a Content-Security-Policy (${site.at}) not read here: make its ${kinds} allow ${origin}, ` +
        `keeping 'self' and the sources it has (a directive you add replaces default-src for its requests, so it keeps default-src's sources).`];
    }
    const edits = directiveEdits(site.directives, authority, renewal);
    if (!edits.length) {
      return [];
    }
    const head = `Your Content-Security-Policy (${site.at}) blocks ${origin}`;
    if (!site.helmet) {
      return [policyStep(site.at, site.directives, authority, renewal)!];
    }
    const changes = edits.filter((e) => e.existing).map((e) =>
      `change ${helmetText(e.name, e.existing!)} to ${helmetText(e.name, e.sources)}`);
    const added = edits.filter((e) => !e.existing).map((e) => helmetText(e.name, e.sources)).join(', ');
    const add = !added ? ''
      : site.helmet === 'directives' ? `add ${added} to its directives`
      : site.helmet === 'csp-options' ? `add directives: { ${added} } to its options`
      : `add contentSecurityPolicy: { directives: { ${added} } } to the options of helmet()`;
    return [`${head} (helmet): ${[...changes, add].filter(Boolean).join(', and ')}${fallbackNote(edits, site.directives)}.`];
  });
}
