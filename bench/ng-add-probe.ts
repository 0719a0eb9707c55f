// Part 3, second table: where the `ng add` difference between the two packages comes from.
//
// A probe package with one no-op schematic (it creates small files and reads nothing), declared
// three times: with angular-auth-oidc-client's ng-add option schema, with ngx-auth-renew's, and with
// ngx-auth-renew's while writing as many files as its ng add does. `ng generate probe:<x> --dry-run`
// in the ngx-auth-renew workspace of part 3, the three alternating in an order that turns every
// round. Same code, same files: the first two differ only by what the CLI does with the option
// schema (yargs options, two ajv compilations, defaults); the last two only by the file count.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORK, sh } from './lib/workspace.ts';

export interface ProbeRow {
  id: string;
  files: number;
  schema: string;
  times: number[];
  error?: string;
}

const PROBE = 'ng-add-schema-probe';

/** The ng-add option schema of a package installed in `workspace`, found through its collection. */
function ngAddSchema(workspace: string, pkg: string): string {
  const root = join(workspace, 'node_modules', pkg);
  const collection = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).schematics);
  const schema = JSON.parse(readFileSync(collection, 'utf8')).schematics['ng-add'].schema;
  return join(dirname(collection), schema);
}

/** Writes the probe package into `workspace`'s node_modules; one schematic per variant. */
function writeProbe(workspace: string, variants: { id: string; schema: string; files: number }[]): void {
  const dir = join(workspace, 'node_modules', PROBE);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: PROBE, version: '0.0.0', schematics: './collection.json' }));
  // About the size of a generated file (ngx-auth-renew: 115 kB in 27 files).
  writeFileSync(join(dir, 'index.js'), [
    `const body = '// probe\\n'.repeat(430);`,
    'exports.probe = (files) => () => (tree) => { for (let i = 0; i < files; i++) tree.create(`src/app/probe/f${i}.ts`, body); };',
    ...variants.map((v) => `exports['${v.id}'] = exports.probe(${v.files});`),
  ].join('\n'));
  const schematics: Record<string, object> = {};
  for (const v of variants) {
    const schema = `${v.id}.schema.json`;
    writeFileSync(join(dir, schema), readFileSync(v.schema));
    schematics[v.id] = { description: `probe: ${v.files} files`, factory: `./index.js#${v.id}`, schema: `./${schema}` };
  }
  writeFileSync(join(dir, 'collection.json'), JSON.stringify({ schematics }));
}

export async function ngAddProbe(opts: {
  ours: { dir: string; args: string[] };
  peer: { dir: string; args: string[] };
  runs: number;
  log: (s: string) => void;
}): Promise<ProbeRow[]> {
  const oursSchema = ngAddSchema(opts.ours.dir, 'ngx-auth-renew');
  const peerSchema = ngAddSchema(opts.peer.dir, 'angular-auth-oidc-client');
  const variants = [
    { id: 'peer-schema', schema: peerSchema, files: 3, args: opts.peer.args, label: "angular-auth-oidc-client's" },
    { id: 'ours-schema', schema: oursSchema, files: 3, args: opts.ours.args, label: "ngx-auth-renew's" },
    { id: 'ours-schema-27-files', schema: oursSchema, files: 27, args: opts.ours.args, label: "ngx-auth-renew's" },
  ];
  writeProbe(opts.ours.dir, variants);
  const log = join(WORK, 'logs', 'ng-add-probe.log');
  const rows: ProbeRow[] = variants.map((v) => ({
    id: v.id,
    files: v.files,
    schema: v.label,
    times: [],
  }));
  // Round -1 warms the file cache; it is not recorded.
  for (let i = -1; i < opts.runs; i++) {
    for (let k = 0; k < variants.length; k++) {
      const j = (k + Math.max(i, 0)) % variants.length;
      const v = variants[j];
      try {
        const t = performance.now();
        const { out } = await sh('ng', ['generate', `${PROBE}:${v.id}`, '--dry-run', ...v.args], opts.ours.dir, log);
        const took = performance.now() - t;
        const created = (out.replace(/\x1b\[[0-9;]*m/g, '').match(/^CREATE /gm) ?? []).length;
        if (created !== v.files) rows[j].error = `created ${created} files, not ${v.files}`;
        if (i >= 0) rows[j].times.push(took);
      } catch (e) {
        rows[j].error = String((e as Error).message).split('\n')[0];
      }
    }
  }
  return rows;
}
