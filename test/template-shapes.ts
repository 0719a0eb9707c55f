import { resolveOptions, ResolvedOptions } from '../src/render/options';
import { CURRENT_VERSION, releaseOf } from '../src/render/releases';
import { renderRelease } from '../src/render/render';

/** Every option shape the scaffold accepts: flow × renewal × storage × dpop. */
export function everyShape(): ResolvedOptions[] {
  const shapes: ResolvedOptions[] = [];
  for (const [flow, renewal] of [['code', 'refresh-token'], ['code', 'iframe'], ['implicit', 'iframe']] as const) {
    for (const storage of ['session', 'local', 'memory'] as const) {
      for (const dpop of flow === 'code' && renewal === 'refresh-token' ? [false, true] : [false]) {
        shapes.push(resolveOptions({ authority: 'https://id.example.com', clientId: 'spa', flow, renewal, storage, dpop }));
      }
    }
  }
  return shapes;
}

/** `code refresh-token local dpop` */
export function shapeName(options: ResolvedOptions): string {
  return [options.flow, options.renewal, options.storage, ...(options.dpop ? ['dpop'] : [])].join(' ');
}

/**
 * The files of the auth folder that `options` generate (file name → text), rendered as the scaffold
 * renders them (src/render/render.ts: common, the flow, the renewal, the storage variant, dpop).
 */
export function authFolderFiles(options: ResolvedOptions): Map<string, string> {
  const files = renderRelease(releaseOf(CURRENT_VERSION)!, { ...options, skipTests: false },
    { authPath: 'auth', silentRenewPath: 'public', vitestImports: false });
  return new Map([...files].filter(([path]) => path.startsWith('auth/')).map(([path, content]) => [path.slice('auth/'.length), content.toString('utf8')]));
}
