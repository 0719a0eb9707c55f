// One built app for every provider preset whose generated code differs only in auth.config.ts
// (e2e/scenarios/presets.ts): `ng add --provider auth0` made the workspace; the auth.config.ts of
// every other preset is rendered by the package under test (its dist/, as `ng add` renders it) into
// src/app/auth/presets/<preset>.config.ts, and the app picks one at start-up from
// localStorage['e2e.preset'] (default: the auth.config.ts ng add wrote). Each preset's other files
// are checked to be byte for byte the ones this build holds, so one build stands for all of them.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../make-app.ts';

const require = createRequire(import.meta.url);

interface RenderApi {
  resolveOptions(schema: Record<string, unknown>): Record<string, unknown>;
  renderRelease(release: unknown, options: Record<string, unknown>, context: Record<string, unknown>): Map<string, Buffer>;
  releaseOf(version: string): unknown;
  CURRENT_VERSION: string;
}

function renderApi(): RenderApi {
  const dist = join(ROOT, 'dist', 'src', 'render');
  return {
    ...require(join(dist, 'options.js')),
    ...require(join(dist, 'render.js')),
    ...require(join(dist, 'releases.js')),
  } as RenderApi;
}

export interface PresetRender {
  /** auth.config.ts as generated for the preset */
  config: string;
  /** the other generated files (name → text) */
  others: Map<string, string>;
}

/** The auth folder the package under test generates for `flags` (as parsed by the CLI, camelCase). */
export function renderPreset(schema: Record<string, unknown>): PresetRender {
  const api = renderApi();
  const options = { ...api.resolveOptions(schema), skipTests: true };
  const files = api.renderRelease(api.releaseOf(api.CURRENT_VERSION), options,
    { authPath: 'auth', silentRenewPath: 'public', vitestImports: true });
  const others = new Map<string, string>();
  let config = '';
  for (const [path, content] of files) {
    const name = path.replace(/^auth\//, '');
    if (name === 'auth.config.ts') config = content.toString('utf8');
    else if (path.startsWith('auth/')) others.set(name, content.toString('utf8'));
  }
  return { config, others };
}

/**
 * Adds the preset switch to the app made by ng add in `dir`: one config file per preset, the
 * switch, provideAuth and the page reading it. Returns, per preset, the generated files (other
 * than auth.config.ts and specs) that differ from what ng add wrote: empty when one build fits all.
 */
export function addPresetSwitch(dir: string, presets: Record<string, Record<string, unknown>>): Record<string, string[]> {
  const app = join(dir, 'src', 'app');
  const auth = join(app, 'auth');
  mkdirSync(join(auth, 'presets'), { recursive: true });
  const differing: Record<string, string[]> = {};
  for (const [name, schema] of Object.entries(presets)) {
    const { config, others } = renderPreset(schema);
    differing[name] = [...others].filter(([file, text]) => !file.endsWith('.spec.ts') && !file.endsWith('.json') &&
      (!existsSync(join(auth, file)) || readFileSync(join(auth, file), 'utf8') !== text)).map(([file]) => file);
    writeFileSync(join(auth, 'presets', `${name}.config.ts`), config.replace("from './auth-config'", "from '../auth-config'"));
  }
  const names = Object.keys(presets);
  writeFileSync(join(app, 'e2e-preset.ts'), [
    "import type { AuthConfig } from './auth/auth-config';",
    "import { authConfig } from './auth/auth.config';",
    ...names.map((n) => `import { authConfig as ${n} } from './auth/presets/${n}.config';`),
    '',
    `const PRESETS: Record<string, AuthConfig> = { ${names.join(', ')} };`,
    '',
    "/** The preset config named by localStorage['e2e.preset'], else the one ng add wrote. */",
    'export function e2ePresetConfig(): AuthConfig {',
    "  const name = typeof localStorage === 'undefined' ? null : localStorage.getItem('e2e.preset');",
    '  return (name && PRESETS[name]) || authConfig;',
    '}',
    '',
  ].join('\n'));
  const edit = (file: string, from: string, to: string) => {
    const path = join(app, file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`${path}: no "${from}" to edit`);
    writeFileSync(path, text.replace(from, to));
  };
  edit('app.config.ts', 'provideAuth(authConfig)', 'provideAuth(e2ePresetConfig())');
  edit('app.config.ts', '\nexport const appConfig', "\nimport { e2ePresetConfig } from './e2e-preset';\n\nexport const appConfig");
  edit('app.ts', "import { authConfig } from './auth/auth.config';", "import { e2ePresetConfig } from './e2e-preset';\n\nconst authConfig = e2ePresetConfig();");
  return differing;
}

/** The generated files of the folder (for the report). */
export function authFiles(dir: string): string[] {
  return readdirSync(join(dir, 'src', 'app', 'auth'));
}
