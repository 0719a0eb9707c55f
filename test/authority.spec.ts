import { schema } from '@angular-devkit/core';
import { formats } from '@angular-devkit/schematics';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture, runAuthRenew } from './workspace-fixtures';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schematics', 'auth-renew', 'schema.json'), 'utf8'));
const PATTERN = SCHEMA.properties.authority.pattern;

/**
 * The authority prompt as the Angular CLI runs it (`ng add` and `ng generate` alike): a registry
 * with the standard formats whose prompt provider checks each answer with the definition's
 * validator, and asks again while it returns a message.
 */
async function promptAnswers(typed: string[]): Promise<{ refusals: (string | boolean)[]; authority: unknown }> {
  const registry = new schema.CoreSchemaRegistry(formats.standardFormats);
  registry.addPostTransform(schema.transforms.addUndefinedDefaults);
  const refusals: (string | boolean)[] = [];
  registry.usePromptProvider(async (definitions) => {
    const answers: Record<string, string> = {};
    for (const definition of definitions.filter((d) => d.id === '/authority')) {
      for (const answer of typed) {
        const verdict = definition.validator ? await definition.validator(answer) : true;
        if (verdict === true) {
          answers[definition.id] = answer;
          break;
        }
        refusals.push(verdict);
      }
    }
    return answers;
  });
  const validate = await registry.compile(SCHEMA);
  const result = await validate({ clientId: 'spa', flow: 'code', renewal: 'refresh-token' });
  expect(result.success).withContext(JSON.stringify(result.errors)).toBe(true);
  return { refusals, authority: (result.data as Record<string, unknown>)['authority'] };
}

describe('the authority is checked where it is typed', () => {
  it('an invalid answer at the prompt is refused with the pattern, and asked again', async () => {
    const typed = ['id.example.com', 'ftp://x', 'http://example.com', 'https://id.example.com/?a=1',
      'https://id.example.com/#f', 'http://localhost.example.com', 'https://h.example.com/application/o/app/'];
    const { refusals, authority } = await promptAnswers(typed);
    expect(refusals).toEqual(typed.slice(0, -1).map(() => `must match pattern "${PATTERN}"`));
    expect(authority).toBe('https://h.example.com/application/o/app/');
  });

  for (const good of ['https://id.example.com', 'http://localhost:9000', 'http://127.0.0.1/realms/x', 'http://[::1]:8080/']) {
    it(`the prompt takes ${good} at once`, async () => {
      expect(await promptAnswers([good])).toEqual({ refusals: [], authority: good });
    });
  }

  it('keeps the authority exactly as given in auth.config.ts (a trailing slash stays)', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'), { authority: 'https://h.example.com/application/o/app/' });
    expect(tree.readText('/src/app/auth/auth.config.ts')).toContain(`  authority: 'https://h.example.com/application/o/app/',\n`);
  });
});
