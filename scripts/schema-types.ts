// Writes src/render/schema.ts from schematics/auth-renew/schema.json, the way the Angular CLI derives its
// schematics' schema.d.ts at build time: one interface, a doc comment per option from its
// `description`, string literal unions from `enum`. Run by `npm run build` before tsc.
//
//   node scripts/schema-types.ts            write src/render/schema.ts (src/ never imports schematics/)
//   node scripts/schema-types.ts --stdout   print what would be written (the staleness spec uses it)
//   node scripts/schema-types.ts <schema.json> --stdout
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Property {
  type?: string;
  enum?: (string | number | boolean)[];
  description?: string;
  default?: unknown;
}

interface JsonSchema {
  title?: string;
  properties: Record<string, Property>;
  required?: string[];
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SCHEMA = join(ROOT, 'schematics', 'auth-renew', 'schema.json');
const TS_TYPES: Record<string, string> = { string: 'string', number: 'number', integer: 'number', boolean: 'boolean' };

function typeOf(name: string, property: Property): string {
  if (property.enum) {
    return property.enum.map((value) => JSON.stringify(value).replace(/^"|"$/g, "'")).join(' | ');
  }
  const type = property.type && TS_TYPES[property.type];
  if (!type) {
    throw new Error(`schema.json: option "${name}" has type ${JSON.stringify(property.type)}, which this generator does not map`);
  }
  return type;
}

function docComment(text: string | undefined, indent: string): string[] {
  return text ? [`${indent}/** ${text.replace(/\*\//g, '*\\/')} */`] : [];
}

/** The TypeScript text of schema.ts for a parsed schema.json. */
export function schemaToTypeScript(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  const lines = [
    '// Generated from schema.json by scripts/schema-types.ts (npm run build); do not edit by hand.',
    '',
    ...docComment(schema.title, ''),
    'export interface Schema {',
  ];
  for (const [name, property] of Object.entries(schema.properties)) {
    lines.push(...docComment(property.description, '  '));
    lines.push(`  ${name}${required.has(name) ? '' : '?'}: ${typeOf(name, property)};`);
  }
  lines.push('}', '');
  const defaults = Object.entries(schema.properties).filter(([, p]) => p.default !== undefined);
  lines.push('/** The `default` of each option that has one. */', 'export const schemaDefaults = {');
  for (const [name, property] of defaults) {
    lines.push(`  ${name}: ${JSON.stringify(property.default).replace(/^"(.*)"$/, "'$1'")},`);
  }
  lines.push('} as const;', '');
  return lines.join('\n');
}

function main(argv: string[]): void {
  const schemaPath = resolve(argv.find((a) => !a.startsWith('--')) ?? DEFAULT_SCHEMA);
  const text = schemaToTypeScript(JSON.parse(readFileSync(schemaPath, 'utf8')) as JsonSchema);
  if (argv.includes('--stdout')) {
    process.stdout.write(text);
  } else {
    writeFileSync(join(ROOT, 'src', 'render', 'schema.ts'), text);
  }
}

main(process.argv.slice(2));
