import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'schema-types.ts');

/** What scripts/schema-types.ts writes for a schema.json (run as `npm run build` runs it). */
function generate(schemaPath?: string): string {
  return execFileSync(process.execPath, [SCRIPT, ...(schemaPath ? [schemaPath] : []), '--stdout'], { encoding: 'utf8' });
}

describe('schema.ts, generated from schema.json', () => {
  it('src/render/schema.ts is what schema.json gives (run npm run build if not)', () => {
    expect(readFileSync(join(ROOT, 'src', 'render', 'schema.ts'), 'utf8')).toBe(generate());
  });

  it('the committed schema.ts is what the committed schema.json gives (commit both together)', () => {
    const committed = (file: string) => execFileSync('git', ['show', `HEAD:${file}`], { cwd: ROOT, encoding: 'utf8' });
    const dir = mkdtempSync(join(tmpdir(), 'schema-types-'));
    try {
      writeFileSync(join(dir, 'schema.json'), committed('schematics/auth-renew/schema.json'));
      expect(committed('src/render/schema.ts')).toBe(generate(join(dir, 'schema.json')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps descriptions to doc comments, enums to unions, integer to number, required to non-optional, defaults to schemaDefaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-types-'));
    try {
      const schemaPath = join(dir, 'schema.json');
      writeFileSync(schemaPath, JSON.stringify({
        title: 'A title',
        required: ['name'],
        properties: {
          name: { type: 'string', description: 'The name.' },
          mode: { type: 'string', enum: ['a', 'b-c'], default: 'a', description: 'Mode; see */ here.' },
          count: { type: 'integer', default: 3 },
          dry: { type: 'boolean', default: false },
        },
      }));
      expect(generate(schemaPath)).toBe([
        '// Generated from schema.json by scripts/schema-types.ts (npm run build); do not edit by hand.',
        '',
        '/** A title */',
        'export interface Schema {',
        '  /** The name. */',
        '  name: string;',
        '  /** Mode; see *\\/ here. */',
        "  mode?: 'a' | 'b-c';",
        '  count?: number;',
        '  dry?: boolean;',
        '}',
        '',
        '/** The `default` of each option that has one. */',
        'export const schemaDefaults = {',
        "  mode: 'a',",
        '  count: 3,',
        '  dry: false,',
        '} as const;',
        '',
      ].join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
