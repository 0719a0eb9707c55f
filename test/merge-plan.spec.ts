import { HostTree } from '@angular-devkit/schematics';
import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { applyPlan, planFiles } from '../src/render/plan';
import { Files } from '../src/render/render';
import { workspaceFormatters } from '../src/render/formatting';
import { isSameFile } from '../src/render/same-file';
import { upgradeLines } from '../src/render/report';

const files = (entries: Record<string, string>): Files => new Map(Object.entries(entries).map(([p, t]) => [p, Buffer.from(t)]));
const LABELS = { user: 'your edits', base: '1.0.0', theirs: '2.0.0' };

function workspace(entries: Record<string, string>): UnitTestTree {
  const tree = new UnitTestTree(new HostTree());
  for (const [path, text] of Object.entries(entries)) tree.create(path, text);
  return tree;
}

async function upgrade(tree: UnitTestTree, base: Files, next: Files, renamed = new Map<string, string>()) {
  const input = { base, next, renamed, deletable: (p: string) => p.startsWith('app/auth/'), labels: LABELS, formatters: workspaceFormatters(tree) };
  const plan = planFiles(tree, input);
  const outcome = await applyPlan(tree, plan, input);
  return { plan, outcome, lines: upgradeLines('app/auth', plan, outcome) };
}

const OLD = 'export function a() {\n  return 1;\n}\n\nexport function b() {\n  return 2;\n}\n';
const NEW = 'export function a() {\n  return 10;\n}\n\nexport function b() {\n  return 2;\n}\n';

describe('merging a release into a folder (plan and apply)', () => {
  it('a renamed file moves with the user\'s edits, and the release\'s change lands in it', async () => {
    const edited = OLD.replace('return 2;', 'return 2; // mine');
    const tree = workspace({ 'app/auth/old.ts': edited, 'app/auth/same.ts': 'x\n' });
    const { lines } = await upgrade(tree, files({ 'app/auth/old.ts': OLD, 'app/auth/same.ts': 'x\n' }),
      files({ 'app/auth/new.ts': NEW, 'app/auth/same.ts': 'x\n' }), new Map([['app/auth/old.ts', 'app/auth/new.ts']]));
    expect(tree.exists('app/auth/old.ts')).toBe(false);
    expect(tree.readText('app/auth/new.ts')).toBe(NEW.replace('return 2;', 'return 2; // mine'));
    expect(lines).toEqual(['  merged with your edits: new.ts', '  moved: old.ts → new.ts']);
  });

  it('a renamed untouched file is moved and replaced', async () => {
    const tree = workspace({ 'app/auth/old.ts': OLD });
    const { lines } = await upgrade(tree, files({ 'app/auth/old.ts': OLD }), files({ 'app/auth/new.ts': NEW }),
      new Map([['app/auth/old.ts', 'app/auth/new.ts']]));
    expect(tree.files.sort()).toEqual(['/app/auth/new.ts']);
    expect(tree.readText('app/auth/new.ts')).toBe(NEW);
    expect(lines).toEqual(['  replaced (not edited since generated): new.ts', '  moved: old.ts → new.ts']);
  });

  it('a file the release removes: deleted when untouched, kept and named when edited', async () => {
    const tree = workspace({ 'app/auth/gone.ts': OLD, 'app/auth/mine.ts': `${OLD}// mine\n`, 'app/auth/kept.ts': 'k\n' });
    const { lines } = await upgrade(tree, files({ 'app/auth/gone.ts': OLD, 'app/auth/mine.ts': OLD, 'app/auth/kept.ts': 'k\n' }),
      files({ 'app/auth/kept.ts': 'k\n' }));
    expect(tree.exists('app/auth/gone.ts')).toBe(false);
    expect(tree.readText('app/auth/mine.ts')).toBe(`${OLD}// mine\n`);
    expect(lines).toEqual(['  removed (no longer used, not edited): gone.ts',
      '  kept (no longer used, but edited by you: delete when done): mine.ts']);
  });

  it('a file the user deleted is created again; a file the release adds is added', async () => {
    const tree = workspace({});
    const { lines } = await upgrade(tree, files({ 'app/auth/a.ts': OLD }), files({ 'app/auth/a.ts': NEW, 'app/auth/b.ts': 'b\n' }));
    expect(tree.readText('app/auth/a.ts')).toBe(NEW);
    expect(lines).toEqual(['  added: a.ts, b.ts']);
  });

  it('both changed the same line: all three sides between markers, labelled, line named; CRLF files stay CRLF', async () => {
    const mine = OLD.replace('return 1;', 'return 1 + 1;').replace(/\n/g, '\r\n');
    const tree = workspace({ 'app/auth/a.ts': mine });
    const { outcome } = await upgrade(tree, files({ 'app/auth/a.ts': OLD }), files({ 'app/auth/a.ts': NEW }));
    expect(tree.readText('app/auth/a.ts')).toBe([
      'export function a() {', '<<<<<<< your edits', '  return 1 + 1;', '||||||| 1.0.0', '  return 1;', '=======', '  return 10;',
      '>>>>>>> 2.0.0', '}', '', 'export function b() {', '  return 2;', '}', ''].join('\r\n'));
    expect(outcome.conflicts).toEqual(['app/auth/a.ts:2']);
  });
});

/** A service as a template writes it: a multi-line union, single quotes, trailing commas. */
const TEMPLATE = `export type AuthEventType =
  | 'signed-in'
  | 'sign-in-failed'
  | 'renewed';

export const LABELS: Record<AuthEventType, string> = {
  'signed-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  renewed: 'Renewed',
};

export function label(type: AuthEventType): string {
  return LABELS[type] ?? (type as string);
}
`;

describe('formatting is never an edit', () => {
  const prettier = require('prettier') as { format(text: string, options: object): Promise<string> };
  const configs: object[] = [
    { printWidth: 120 },
    { printWidth: 100, singleQuote: true },
    { printWidth: 80, singleQuote: false, trailingComma: 'none', semi: false },
    { printWidth: 200, arrowParens: 'avoid', bracketSpacing: false },
  ];
  for (const config of configs) {
    it(`a file reformatted by prettier ${JSON.stringify(config)} is the file generated`, async () => {
      const formatted = await prettier.format(TEMPLATE, { ...config, filepath: 'a.ts' });
      expect(formatted).not.toBe(TEMPLATE);
      expect(isSameFile(Buffer.from(formatted), Buffer.from(TEMPLATE), 'app/auth/a.ts')).toBe(true);
      expect(isSameFile(Buffer.from(formatted.replace("'Renewed'", "'Renewed!'").replace('"Renewed"', '"Renewed!"')),
        Buffer.from(TEMPLATE), 'app/auth/a.ts')).toBe(false);
    });

    it(`an edited file formatted by prettier ${JSON.stringify(config)} merges without conflicts, in its formatting`, async () => {
      const release = TEMPLATE.replace("  | 'renewed';", "  | 'renewed'\n  | 'renew-failed';").replace("  renewed: 'Renewed',\n", "  renewed: 'Renewed',\n  'renew-failed': 'Renewal failed',\n");
      const user = (await prettier.format(TEMPLATE, { ...config, filepath: 'a.ts' })).replace(/^(export function label)/m, '// mine\n$1');
      const tree = workspace({ '.prettierrc': JSON.stringify(config), 'app/auth/a.ts': user });
      const { outcome } = await upgrade(tree, files({ 'app/auth/a.ts': TEMPLATE }), files({ 'app/auth/a.ts': release }));
      expect(outcome).toEqual({ merged: ['app/auth/a.ts'], conflicts: [] });
      const expected = (await prettier.format(release, { ...config, filepath: 'a.ts' })).replace(/^(export function label)/m, '// mine\n$1');
      expect(tree.readText('app/auth/a.ts')).toBe(expected);
    });
  }
});
