import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The fixtures of what the real releases generated (scripts/capture-release.ts): well-formed, every
 * shape each release accepts present once, and the committed 0.1.0 tarball holding exactly release
 * 0.1.0's templates. (test/release-history.spec.ts compares the package's history against them.)
 */
const RELEASES = join(__dirname, '..', '..', 'test', 'fixtures', 'releases');

interface Recorded {
  workspace: string;
  options: Record<string, unknown>;
  created: Record<string, string>;
  changed: Record<string, { before: string; after: string }>;
  deleted: string[];
}
interface Release {
  version: string;
  commit: string;
  workspaces: Record<string, { made: string; digest: string }>;
  shapeCount: number;
  shapes: Record<string, Recorded>;
}

const load = (version: string): Release => JSON.parse(readFileSync(join(RELEASES, `${version}.json`), 'utf8'));
const SHA256 = /^[0-9a-f]{64}$/;
const quote = (value: string) => (/\s|"/.test(value) ? JSON.stringify(value) : value);

/** The key scripts/capture-release.ts gives a shape, rebuilt from its recorded options. */
function keyOf(workspace: string, o: Record<string, unknown>): string {
  const given = (name: string) => (o[name] === undefined ? 'default' : quote(String(o[name])));
  return [
    workspace, `flow=${o['flow']}`, `renewal=${o['renewal']}`, `storage=${o['storage']}`, `dpop=${o['dpop'] ? 'yes' : 'no'}`,
    `skipTests=${o['skipTests'] ? 'yes' : 'no'}`, `authority=${quote(String(o['authority']))}`, `clientId=${quote(String(o['clientId']))}`,
    `scope=${given('scope')}`, `renewBefore=${given('renewBefore')}`, `path=${given('path')}`,
  ].join(' ');
}


// Per workspace (ng22, ng21-karma): flow+renewal 3 (implicit+refresh-token refused) × storage 3 ×
// skipTests 2 = 18, + dpop on for code+refresh-token (0.2.0): 3 × 2 = 6, + 1 with scope, renew-before, path.
const EXPECTED: [version: string, commit: string, perWorkspace: number][] = [
  ['0.1.0', '971124b', 18 + 1],
  ['0.2.0', '959bc4d', 18 + 6 + 1],
];

for (const [version, commit, perWorkspace] of EXPECTED) {
  describe(`release fixture ${version}.json`, () => {
    const release = load(version);
    const shapes = Object.entries(release.shapes);

    it(`is ${version} at ${commit}, with ${2 * perWorkspace} shapes (${perWorkspace} on each of ng22 and ng21-karma)`, () => {
      expect(release.version).toBe(version);
      expect(release.commit.startsWith(commit)).toBe(true);
      expect(Object.keys(release.workspaces).sort()).toEqual(['ng21-karma', 'ng22']);
      expect(release.shapeCount).toBe(shapes.length);
      expect(shapes.length).toBe(2 * perWorkspace);
      for (const workspace of ['ng22', 'ng21-karma']) {
        expect(shapes.filter(([, s]) => s.workspace === workspace).length).withContext(workspace).toBe(perWorkspace);
      }
    });

    it('keys each shape by its options, and holds only shapes the release accepts', () => {
      for (const [key, shape] of shapes) {
        const o = shape.options;
        expect(key).toBe(keyOf(shape.workspace, o));
        expect(o['flow'] === 'implicit' && o['renewal'] === 'refresh-token').withContext(key).toBe(false);
        if (o['dpop']) {
          expect(version).not.toBe('0.1.0');
          expect([o['flow'], o['renewal']]).withContext(key).toEqual(['code', 'refresh-token']);
        }
      }
      const custom = shapes.filter(([, s]) => s.options['path'] !== undefined).map(([, s]) => s.options);
      expect(custom).toEqual([0, 1].map(() => jasmine.objectContaining({ scope: 'openid api', renewBefore: 45, path: 'src/app/login' })));
    });

    it('records sha256 digests of what each run created and changed: the generated folder, package.json and the root providers always', () => {
      for (const [key, shape] of shapes) {
        const folder = (shape.options['path'] as string | undefined) ?? 'src/app/auth';
        const created = Object.keys(shape.created);
        expect(Object.values(shape.created).every((hash) => SHA256.test(hash))).withContext(key).toBe(true);
        expect(Object.values(shape.changed).every((c) => SHA256.test(c.before) && SHA256.test(c.after) && c.before !== c.after))
          .withContext(key).toBe(true);
        expect(created).withContext(key).toContain(`${folder}/auth.config.ts`);
        expect(created).withContext(key).toContain(`${folder}/auth.service.ts`);
        expect(created.every((path) => path.startsWith(`${folder}/`) || /^src\/silent-renew\.(html|js)$/.test(path))).withContext(key).toBe(true);
        expect(created.some((path) => path.endsWith('.spec.ts'))).withContext(key).toBe(!shape.options['skipTests']);
        const iframe = shape.options['renewal'] === 'iframe';
        expect(created.includes('src/silent-renew.html')).withContext(key).toBe(iframe);
        expect(Object.keys(shape.changed).sort()).withContext(key)
          .toEqual([...(iframe ? ['angular.json'] : []), 'package.json', 'src/app/app.config.ts']);
        expect(shape.deleted).withContext(key).toEqual([]);
      }
    });

    it('gives the same file the same digest in both workspaces where the options agree', () => {
      // The auth.config.ts of a shape depends on the options only, not on the workspace's test runner.
      for (const [key, shape] of shapes.filter(([, s]) => s.workspace === 'ng22')) {
        const other = release.shapes[key.replace(/^ng22 /, 'ng21-karma ')];
        expect(other?.created['src/app/auth/auth.config.ts'] ?? other?.created['src/app/login/auth.config.ts'])
          .withContext(key).toBe(shape.created['src/app/auth/auth.config.ts'] ?? shape.created['src/app/login/auth.config.ts']);
      }
    });
  });
}

/** The files of a .tgz (ustar, as npm pack writes it): path → bytes. */
function untar(tgz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    const field = (from: number, length: number) => tar.subarray(at + from, at + from + length).toString('utf8').replace(/\0.*$/s, '');
    const name = (field(345, 155) ? `${field(345, 155)}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (field(156, 1) === '0' || field(156, 1) === '') files.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('release tarball ngx-auth-renew-0.1.0.tgz (what the upgrade proofs ng add)', () => {
  const files = untar(readFileSync(join(RELEASES, 'ngx-auth-renew-0.1.0.tgz')));

  it('is ngx-auth-renew 0.1.0 with its built schematics and templates', () => {
    const manifest = JSON.parse(files.get('package/package.json')!.toString('utf8'));
    expect([manifest.name, manifest.version]).toEqual(['ngx-auth-renew', '0.1.0']);
    expect(manifest['ng-update']).toBeUndefined();
    expect(files.has('package/dist/schematics/ng-add/index.js')).toBe(true);
    expect(files.has('package/dist/schematics/auth-renew/index.js')).toBe(true);
    expect(JSON.parse(files.get('package/schematics/auth-renew/schema.json')!.toString('utf8')).properties.dpop).toBeUndefined();
  });

  it('its templates are exactly release 0.1.0 of migrations/history.json, file for file', () => {
    const history = JSON.parse(readFileSync(join(__dirname, '..', '..', 'migrations', 'history.json'), 'utf8')) as
      { releases: Record<string, Record<string, string>>; blobs: Record<string, string> };
    const templates = [...files.keys()].filter((path) => /^package\/templates\/[^/]+\//.test(path))
      .map((path) => path.slice('package/templates/'.length)).sort();
    expect(templates).toEqual(Object.keys(history.releases['0.1.0']).sort());
    for (const path of templates) {
      expect(history.blobs[history.releases['0.1.0'][path]]).withContext(path).toBe(files.get(`package/templates/${path}`)!.toString('utf8'));
    }
  });
});
