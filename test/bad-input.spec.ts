import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_OPTIONS, loadFixture, runner, snapshot } from './workspace-fixtures';

/** Runs the schematic expecting it to fail; returns the message after checking the tree is untouched. */
async function expectFailure(tree: UnitTestTree, options: Record<string, unknown>, schematic = 'auth-renew'): Promise<string> {
  const message = await failureOf(tree, options, schematic);
  expect(message.split('\n').length).toBe(1);
  return message;
}

/**
 * The same for values the option schema itself rejects (type, enum): the Angular CLI refuses those
 * on its command line with its own one-line message before the schematic runs; the devkit's
 * validator, which the test runner uses, reports the offending option on a line of its own.
 */
async function failureOf(tree: UnitTestTree, options: Record<string, unknown>, schematic = 'auth-renew'): Promise<string> {
  const before = snapshot(tree);
  let message = '';
  try {
    await runner.runSchematic(schematic, options, tree);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).not.toBe('');
  expect(snapshot(tree)).toEqual(before);
  return message;
}

describe('bad input: one clear error, workspace untouched', () => {
  let tree: UnitTestTree;
  beforeEach(() => (tree = loadFixture('ng22')));

  it('no workspace', async () => {
    tree.delete('/angular.json');
    expect(await expectFailure(tree, BASE_OPTIONS)).toContain('No angular.json here');
  });

  it('malformed angular.json', async () => {
    const text = tree.readText('/angular.json');
    tree.overwrite('/angular.json', text.replace('"version": 1,', '"version": 1'));
    const line = text.split('\n').findIndex((l) => l.includes('"version": 1,')) + 2;
    expect(await expectFailure(tree, BASE_OPTIONS))
      .toBe(`angular.json is not valid JSON (CommaExpected at line ${line}); fix the file and run again.`);
  });

  it('unknown project', async () => {
    expect(await expectFailure(tree, { ...BASE_OPTIONS, project: 'nope' }))
      .toBe('Project "nope" does not exist in angular.json; projects: ng22.');
  });

  it('a library project', async () => {
    const multi = loadFixture('multi');
    expect(await expectFailure(multi, { ...BASE_OPTIONS, project: 'ui' }))
      .toContain('Project "ui" is a library project; ngx-auth-renew needs an application');
  });

  it('no main file', async () => {
    tree.delete('/src/main.ts');
    expect(await expectFailure(tree, BASE_OPTIONS)).toContain('has no main file (src/main.ts does not exist)');
  });

  it('missing authority', async () => {
    expect(await expectFailure(tree, { clientId: 'spa' }))
      .toBe('--authority is required, e.g. --authority https://id.example.com');
  });

  it('missing client id', async () => {
    expect(await expectFailure(tree, { authority: 'https://id.example.com' }))
      .toBe('--client-id is required, e.g. --client-id my-spa');
  });

  // The schema's pattern refuses these at the prompt (asked again) and on the command line.
  const pattern = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schematics', 'auth-renew', 'schema.json'), 'utf8'))
    .properties.authority.pattern;
  for (const authority of ['id.example.com', 'ftp://x', 'http://example.com', 'https://id.example.com/?tenant=1', 'https://id.example.com/#top']) {
    it(`authority ${authority}`, async () => {
      expect(await failureOf(tree, { ...BASE_OPTIONS, authority }))
        .toContain(`\n  Data path "/authority" must match pattern "${pattern}".`);
    });
  }

  it('implicit with refresh-token renewal', async () => {
    expect(await expectFailure(tree, { ...BASE_OPTIONS, flow: 'implicit', renewal: 'refresh-token' }))
      .toBe('--flow implicit has no refresh tokens: use --renewal iframe, or --flow code for refresh-token renewal.');
  });

  it('negative renew-before', async () => {
    expect(await failureOf(tree, { ...BASE_OPTIONS, renewBefore: -5 })).toContain('\n  Data path "/renewBefore" must be >= 0.');
  });

  it('fractional renew-before (a number in the schema, so that the CLI parses it: the whole-number check is ours)', async () => {
    expect(await expectFailure(tree, { ...BASE_OPTIONS, renewBefore: 1.5 }))
      .toBe('--renew-before must be a whole number of seconds, 0 or more; got 1.5.');
  });

  it('non-numeric renew-before', async () => {
    expect(await failureOf(tree, { ...BASE_OPTIONS, renewBefore: 'soon' }))
      .toContain('\n  Data path "/renewBefore" must be number.');
  });

  const allowed = { flow: '"code", "implicit"', renewal: '"refresh-token", "iframe"', storage: '"session", "local", "memory"' };
  for (const [option, values] of Object.entries(allowed)) {
    it(`unknown ${option}`, async () => {
      expect(await failureOf(tree, { ...BASE_OPTIONS, [option]: 'bogus' }))
        .toContain(`\n  Data path "/${option}" must be equal to one of the allowed values. Allowed values are: ${values}.`);
    });
  }

  it('a --path outside the project', async () => {
    const multi = loadFixture('multi');
    expect(await expectFailure(multi, { ...BASE_OPTIONS, project: 'admin', path: 'apps/shop/src/auth' }))
      .toBe('--path "apps/shop/src/auth" is outside project "admin" (root "projects/admin"): choose a folder inside it.');
    expect(await expectFailure(tree, { ...BASE_OPTIONS, path: '../elsewhere' })).toContain('is outside project "ng22"');
  });

  it('ng add stops the same way, before registering anything', async () => {
    expect(await expectFailure(tree, { clientId: 'spa' }, 'ng-add')).toContain('--authority is required');
  });
});
