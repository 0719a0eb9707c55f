import { HostTree } from '@angular-devkit/schematics';
import { ParsedSources } from '../src/ts/parsed-sources';

describe('parsed sources', () => {
  it('parses a file once per text: the same path and text give the same tree, a changed text a new one', () => {
    const tree = new HostTree();
    tree.create('/src/main.ts', 'bootstrapApplication(App, appConfig);\n');
    const sources = new ParsedSources();
    const first = sources.read(tree, 'src/main.ts');
    expect(sources.parse({ path: 'src/main.ts', text: 'bootstrapApplication(App, appConfig);\n' })).toBe(first);
    tree.overwrite('/src/main.ts', 'bootstrapModule(AppModule);\n');
    const changed = sources.read(tree, 'src/main.ts');
    expect(changed).not.toBe(first);
    expect(changed.text).toBe('bootstrapModule(AppModule);\n');
    expect(changed.fileName).toBe('src/main.ts');
  });
});
