import { resolveOptions, ResolvedOptions } from '../src/render/options';
import { readTemplateFolder } from '../src/render/template-files';

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
 * The files of the auth folder that `options` generate (file name → text), from the same template
 * folders as the scaffold (src/render/scaffold-files.ts): common, the flow, the renewal, the
 * storage variant, dpop.
 */
export function authFolderFiles(options: ResolvedOptions): Map<string, string> {
  const storage = options.storage === 'local' ? 'storage-local' : 'storage-tab';
  const folders = ['common', options.flow, options.renewal, storage, ...(options.dpop ? ['dpop'] : [])];
  const files = new Map<string, string>();
  for (const folder of folders) {
    for (const [path, content] of readTemplateFolder(`auth/${folder}`, options)) {
      if (files.has(path)) {
        throw new Error(`${path} is in two template folders of ${shapeName(options)}`);
      }
      files.set(path, content.toString('utf8'));
    }
  }
  return files;
}
