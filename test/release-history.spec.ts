import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveOptions } from '../src/render/options';
import { releaseOf } from '../src/render/releases';
import { renderRelease } from '../src/render/render';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'releases');

interface Shape {
  workspace: 'ng22' | 'ng21-karma';
  options: { authority: string; clientId: string; flow?: 'code' | 'implicit'; renewal?: 'refresh-token' | 'iframe';
    storage?: 'session' | 'local' | 'memory'; dpop?: boolean; skipTests?: boolean; scope?: string; renewBefore?: number; path?: string };
  created: Record<string, string>;
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * The package's release history against what the real releases wrote (test/fixtures/releases, captured
 * from their git trees by scripts/capture-release.ts): for every option shape and both test setups,
 * the history's render is byte for byte what the release generated, which is what a merge base must be.
 */
describe('the release history rebuilds exactly what each release generated', () => {
  for (const version of ['0.1.0', '0.2.0']) {
    const capture = JSON.parse(readFileSync(join(FIXTURES, `${version}.json`), 'utf8')) as { shapes: Record<string, Shape> };
    it(`${version}: every captured shape (${Object.keys(capture.shapes).length})`, () => {
      expect(Object.keys(capture.shapes).length).toBe(version === '0.1.0' ? 38 : 50);
      for (const [key, shape] of Object.entries(capture.shapes)) {
        const { skipInstall: _, skipTests, path, ...options } = { ...resolveOptions(shape.options), path: shape.options.path };
        const files = renderRelease(releaseOf(version)!, { ...options, skipTests: !!skipTests }, {
          authPath: path ?? 'src/app/auth',
          silentRenewPath: 'src',
          vitestImports: shape.workspace === 'ng22',
        });
        const rendered = Object.fromEntries([...files].map(([p, content]) => [p, sha256(content)]));
        expect(rendered).withContext(key).toEqual(shape.created);
      }
    });
  }
});
