import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { changedFiles, Fixture, loadFixture, runAuthRenew, snapshot } from './workspace-fixtures';

const CONFIG = '/src/app/app.config.ts';
const MAIN = '/src/main.ts';
const MODULE = '/src/app/app-module.ts';

/** A CLI-made workspace with some files replaced by the shape under test. */
function workspace(fixture: Fixture, files: Record<string, string>): UnitTestTree {
  const tree = loadFixture(fixture);
  for (const [path, text] of Object.entries(files)) {
    if (tree.exists(path)) {
      tree.overwrite(path, text);
    } else {
      tree.create(path, text);
    }
  }
  return tree;
}

/** Runs the schematic on the shape; returns the tree, after checking only `edited` changed outside the scaffold. */
async function run(fixture: Fixture, files: Record<string, string>, edited = CONFIG): Promise<UnitTestTree> {
  const before = workspace(fixture, files);
  const start = snapshot(before);
  const after = await runAuthRenew(before);
  const changed = changedFiles(start, snapshot(after)).filter((f) => !f.startsWith('/src/app/auth/'));
  expect(changed).toEqual(['/package.json', edited].sort());
  return after;
}

/** The shape's file after the run; a second run must change nothing at all. */
async function wire(fixture: Fixture, files: Record<string, string>, edited = CONFIG): Promise<string> {
  const once = await run(fixture, files, edited);
  const first = snapshot(once);
  expect(changedFiles(first, snapshot(await runAuthRenew(once)))).toEqual([]);
  return first[edited];
}

/** Runs expecting the one-line error; checks the tree is untouched. */
async function failure(fixture: Fixture, files: Record<string, string>): Promise<string> {
  const tree = workspace(fixture, files);
  const start = snapshot(tree);
  let message = '';
  await runAuthRenew(tree).catch((e: Error) => (message = e.message));
  expect(snapshot(tree)).toEqual(start);
  expect(message.split('\n').length).toBe(1);
  return message;
}

const NG22_IMPORTS = `import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter } from '@angular/router';
import { routes } from './app.routes';
`;
const OURS = `import { provideAuth } from './auth/provide-auth';
import { authConfig } from './auth/auth.config';
`;

describe('root provider: app.config.ts shapes (Angular 22 workspace)', () => {
  it('the default config made by ng new', async () => {
    expect(await wire('ng22', {})).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth(authConfig)
  ]
};
`);
  });

  it('two providers on the last line: a line of its own with that line\'s indentation', async () => {
    expect(await wire('ng22', { [CONFIG]: `${NG22_IMPORTS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(), provideRouter(routes)
  ]
};
` })).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(), provideRouter(routes),
    provideAuth(authConfig)
  ]
};
`);
  });

  it('trailing comma: kept, and the new last element gets one', async () => {
    expect(await wire('ng22', { [CONFIG]: `${NG22_IMPORTS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
  ],
};
` })).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth(authConfig),
  ],
};
`);
  });

  it('two providers on the last line with a trailing comma', async () => {
    expect(await wire('ng22', { [CONFIG]: `${NG22_IMPORTS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(), provideRouter(routes),
  ],
};
` })).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(), provideRouter(routes),
    provideAuth(authConfig),
  ],
};
`);
  });

  it('one-line array: appended on that line', async () => {
    expect(await wire('ng22', { [CONFIG]: `${NG22_IMPORTS}
export const appConfig: ApplicationConfig = {
  providers: [provideBrowserGlobalErrorListeners(), provideRouter(routes)]
};
` })).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [provideBrowserGlobalErrorListeners(), provideRouter(routes), provideAuth(authConfig)]
};
`);
  });

  it('empty array', async () => {
    expect(await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';

export const appConfig: ApplicationConfig = { providers: [] };
` })).toBe(`import { ApplicationConfig } from '@angular/core';
${OURS}
export const appConfig: ApplicationConfig = { providers: [provideAuth(authConfig)] };
`);
  });

  it('empty array over two lines', async () => {
    expect(await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';

export const appConfig: ApplicationConfig = {
  providers: [
  ],
};
` })).toBe(`import { ApplicationConfig } from '@angular/core';
${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideAuth(authConfig)
  ],
};
`);
  });

  it('comments inside the array: after the last element, an // end line, a block comment', async () => {
    expect(await wire('ng22', { [CONFIG]: `${NG22_IMPORTS}
export const appConfig: ApplicationConfig = {
  providers: [
    /* errors */ provideBrowserGlobalErrorListeners(),
    provideRouter(routes) // the routes
    // end
  ]
};
` })).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    /* errors */ provideBrowserGlobalErrorListeners(),
    provideRouter(routes), // the routes
    provideAuth(authConfig)
    // end
  ]
};
`);
  });

  it('a block comment after a trailing comma, and one over several lines', async () => {
    expect(await wire('ng22', { [CONFIG]: `${NG22_IMPORTS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes), /* the routes,
      lazy ones included */
  ],
};
` })).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes), /* the routes,
      lazy ones included */
    provideAuth(authConfig),
  ],
};
`);
  });

  it('CRLF file: every new line ends in CRLF too', async () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const original = loadFixture('ng22').readText(CONFIG);
    expect(await wire('ng22', { [CONFIG]: crlf(original) })).toBe(crlf(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth(authConfig)
  ]
};
`));
  });

  it('the dominant import style wins over the last import line (semicolons; quotes)', async () => {
    const semis = Array.from({ length: 17 }, (_, i) => `import { t${i} } from './t${i}';`).join('\n');
    const wired = await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';
${semis}
import { routes } from './app.routes'

export const appConfig: ApplicationConfig = {
  providers: [routes],
};
` });
    expect(wired).toContain(`import { routes } from './app.routes'\nimport { provideAuth } from './auth/provide-auth';\n` +
      `import { authConfig } from './auth/auth.config';\n`);

    const quotes = await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from "@angular/core";
import { provideRouter } from "@angular/router";
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [provideRouter(routes)],
};
` });
    expect(quotes).toContain(`import { routes } from './app.routes';\nimport { provideAuth } from "./auth/provide-auth";\n` +
      `import { authConfig } from "./auth/auth.config";\n`);
  });

  it('double quotes, no semicolons, tabs: the new lines follow', async () => {
    expect(await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from "@angular/core"
import { provideRouter } from "@angular/router"
import { routes } from "./app.routes"

export const appConfig: ApplicationConfig = {
\tproviders: [
\t\tprovideRouter(routes)
\t]
}
` })).toBe(`import { ApplicationConfig } from "@angular/core"
import { provideRouter } from "@angular/router"
import { routes } from "./app.routes"
import { provideAuth } from "./auth/provide-auth"
import { authConfig } from "./auth/auth.config"

export const appConfig: ApplicationConfig = {
\tproviders: [
\t\tprovideRouter(routes),
\t\tprovideAuth(authConfig)
\t]
}
`);
  });

  it('`satisfies ApplicationConfig`', async () => {
    expect(await wire('ng22', { [CONFIG]: `${NG22_IMPORTS}
export const appConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes)
  ]
} satisfies ApplicationConfig;
` })).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth(authConfig)
  ]
} satisfies ApplicationConfig;
`);
  });

  it('spread: appended after the last element', async () => {
    expect(await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';
import { sharedProviders } from './shared';

export const appConfig: ApplicationConfig = {
  providers: [...sharedProviders, provideBrowserGlobalErrorListeners()]
};
` })).toBe(`import { ApplicationConfig } from '@angular/core';
import { sharedProviders } from './shared';
${OURS}
export const appConfig: ApplicationConfig = {
  providers: [...sharedProviders, provideBrowserGlobalErrorListeners(), provideAuth(authConfig)]
};
`);
  });

  it('Angular 21 config (blank line between the imports)', async () => {
    expect(await wire('ng21-karma', {})).toBe(`import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter } from '@angular/router';

import { routes } from './app.routes';
${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth(authConfig)
  ]
};
`);
  });
});

describe('root provider: names already taken', () => {
  const ANGULAR_FIRE = `import { ApplicationConfig } from '@angular/core';
import { initializeApp, provideFirebaseApp } from '@angular/fire/app';
import { getAuth, provideAuth } from '@angular/fire/auth';

export const appConfig: ApplicationConfig = {
  providers: [
    provideFirebaseApp(() => initializeApp({ projectId: 'demo' })),
    provideAuth(() => getAuth()),
  ],
};
`;
  const OAUTH_OIDC = `import { ApplicationConfig } from '@angular/core';
import { provideOAuthClient } from 'angular-oauth2-oidc';
import { authConfig } from './auth.config';

export const appConfig: ApplicationConfig = {
  providers: [provideOAuthClient({ resourceServer: { allowedUrls: [authConfig.issuer!] } })],
};
`;

  it("AngularFire's provideAuth: ours is imported under an alias and wired", async () => {
    expect(await wire('ng22', { [CONFIG]: ANGULAR_FIRE })).toBe(`import { ApplicationConfig } from '@angular/core';
import { initializeApp, provideFirebaseApp } from '@angular/fire/app';
import { getAuth, provideAuth } from '@angular/fire/auth';
import { provideAuth as provideAuthRenewal } from './auth/provide-auth';
import { authConfig } from './auth/auth.config';

export const appConfig: ApplicationConfig = {
  providers: [
    provideFirebaseApp(() => initializeApp({ projectId: 'demo' })),
    provideAuth(() => getAuth()),
    provideAuthRenewal(authConfig),
  ],
};
`);
  });

  it("an authConfig of the app's own (angular-oauth2-oidc's name): ours is aliased", async () => {
    expect(await wire('ng22', { [CONFIG]: OAUTH_OIDC })).toBe(`import { ApplicationConfig } from '@angular/core';
import { provideOAuthClient } from 'angular-oauth2-oidc';
import { authConfig } from './auth.config';
import { provideAuth } from './auth/provide-auth';
import { authConfig as authRenewalConfig } from './auth/auth.config';

export const appConfig: ApplicationConfig = {
  providers: [provideOAuthClient({ resourceServer: { allowedUrls: [authConfig.issuer!] } }), provideAuth(authRenewalConfig)],
};
`);
  });

  it('both names taken', async () => {
    expect(await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';
import { getAuth, provideAuth } from '@angular/fire/auth';
import { authConfig } from './auth.config';

export const appConfig: ApplicationConfig = {
  providers: [
    provideAuth(() => getAuth(authConfig.app))
  ]
};
` })).toBe(`import { ApplicationConfig } from '@angular/core';
import { getAuth, provideAuth } from '@angular/fire/auth';
import { authConfig } from './auth.config';
import { provideAuth as provideAuthRenewal } from './auth/provide-auth';
import { authConfig as authRenewalConfig } from './auth/auth.config';

export const appConfig: ApplicationConfig = {
  providers: [
    provideAuth(() => getAuth(authConfig.app)),
    provideAuthRenewal(authRenewalConfig)
  ]
};
`);
  });

  it('already wired by hand under other names: nothing changes', async () => {
    const byHand = `import { ApplicationConfig } from '@angular/core';
import { authConfig as renewalSettings } from './auth/auth.config';
import { provideAuth as wireRenewal } from './auth/provide-auth';

export const appConfig: ApplicationConfig = {
  providers: [wireRenewal(renewalSettings)],
};
`;
    const tree = await runAuthRenew(workspace('ng22', { [CONFIG]: byHand }));
    expect(tree.readText(CONFIG)).toBe(byHand);
  });

  it('our provideAuth imported but not called: the import is reused', async () => {
    expect(await wire('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';
import { provideAuth } from './auth/provide-auth';

export const appConfig: ApplicationConfig = {
  providers: [],
};
` })).toBe(`import { ApplicationConfig } from '@angular/core';
import { provideAuth } from './auth/provide-auth';
import { authConfig } from './auth/auth.config';

export const appConfig: ApplicationConfig = {
  providers: [provideAuth(authConfig)],
};
`);
  });
});

describe('root provider: where the providers are', () => {
  it('inline options of bootstrapApplication in main.ts', async () => {
    const main = `import { provideBrowserGlobalErrorListeners } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';

bootstrapApplication(App, {
  providers: [
    provideBrowserGlobalErrorListeners(),
  ],
}).catch((err) => console.error(err));
`;
    expect(await wire('ng22', { [MAIN]: main }, MAIN)).toBe(`import { provideBrowserGlobalErrorListeners } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { provideAuth } from './app/auth/provide-auth';
import { authConfig } from './app/auth/auth.config';

bootstrapApplication(App, {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideAuth(authConfig),
  ],
}).catch((err) => console.error(err));
`);
  });

  it('mergeApplicationConfig (SSR layout): the shared appConfig is edited, not the merging files', async () => {
    const files = {
      [MAIN]: `import { bootstrapApplication } from '@angular/platform-browser';
import { browserConfig } from './app/app.config.browser';
import { App } from './app/app';

bootstrapApplication(App, browserConfig)
  .catch((err) => console.error(err));
`,
      '/src/app/app.config.browser.ts': `import { mergeApplicationConfig } from '@angular/core';
import { provideClientHydration } from '@angular/platform-browser';
import { appConfig } from './app.config';

export const browserConfig = mergeApplicationConfig(appConfig, { providers: [provideClientHydration()] });
`,
      '/src/app/app.config.server.ts': `import { mergeApplicationConfig, ApplicationConfig } from '@angular/core';
import { provideServerRendering, withRoutes } from '@angular/ssr';
import { appConfig } from './app.config';
import { serverRoutes } from './app.routes.server';

const serverConfig: ApplicationConfig = {
  providers: [
    provideServerRendering(withRoutes(serverRoutes))
  ]
};

export const config = mergeApplicationConfig(appConfig, serverConfig);
`,
    };
    expect(await wire('ng22', files)).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth(authConfig)
  ]
};
`);
  });

  it('the config imported under another name and cast `as ApplicationConfig`', async () => {
    const files = {
      [MAIN]: `import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig as config } from './app/app.config';
import { App } from './app/app';

bootstrapApplication(App, config).catch((err) => console.error(err));
`,
      [CONFIG]: `import { ApplicationConfig } from '@angular/core';

export const appConfig = ({ providers: [] }) as ApplicationConfig;
`,
    };
    expect(await wire('ng22', files)).toBe(`import { ApplicationConfig } from '@angular/core';
${OURS}
export const appConfig = ({ providers: [provideAuth(authConfig)] }) as ApplicationConfig;
`);
  });

  it('main.ts that imports a bootstrap file dynamically (module federation)', async () => {
    const original = loadFixture('ng22').readText(MAIN);
    const files = {
      [MAIN]: `import('./bootstrap').catch((err) => console.error(err));\n`,
      '/src/bootstrap.ts': original,
    };
    expect(await wire('ng22', files)).toBe(`${NG22_IMPORTS}${OURS}
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth(authConfig)
  ]
};
`);
  });
});

describe('root provider: NgModule apps (Angular 20 workspace)', () => {
  it('@NgModule providers with forRoot imports; import lines without semicolons stay so', async () => {
    expect(await wire('ng20-module', { [MODULE]: `import { NgModule, provideBrowserGlobalErrorListeners } from '@angular/core'
import { BrowserModule } from '@angular/platform-browser'
import { RouterModule } from '@angular/router'
import { StoreModule } from '@ngrx/store'

import { App } from './app'
import { routes } from './app.routes'

@NgModule({
  declarations: [App],
  imports: [
    BrowserModule,
    RouterModule.forRoot(routes),
    StoreModule.forRoot({})
  ],
  providers: [
    provideBrowserGlobalErrorListeners()
  ],
  bootstrap: [App]
})
export class AppModule {}
` }, MODULE)).toBe(`import { NgModule, provideBrowserGlobalErrorListeners } from '@angular/core'
import { BrowserModule } from '@angular/platform-browser'
import { RouterModule } from '@angular/router'
import { StoreModule } from '@ngrx/store'

import { App } from './app'
import { routes } from './app.routes'
import { provideAuth } from './auth/provide-auth'
import { authConfig } from './auth/auth.config'

@NgModule({
  declarations: [App],
  imports: [
    BrowserModule,
    RouterModule.forRoot(routes),
    StoreModule.forRoot({})
  ],
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideAuth(authConfig)
  ],
  bootstrap: [App]
})
export class AppModule {}
`);
  });

  it('@NgModule without a providers key: the key is added the way the CLI adds one', async () => {
    const original = loadFixture('ng20-module').readText(MODULE);
    const withoutProviders = original.replace(/  providers: \[\n[^\]]*\],\n/, '');
    expect(withoutProviders).not.toContain('providers');
    expect(await wire('ng20-module', { [MODULE]: withoutProviders }, MODULE)).toBe(`import { NgModule, provideBrowserGlobalErrorListeners } from '@angular/core';
import { BrowserModule } from '@angular/platform-browser';

import { AppRoutingModule } from './app-routing-module';
import { App } from './app';
${OURS}
@NgModule({
  declarations: [
    App
  ],
  imports: [
    BrowserModule,
    AppRoutingModule
  ],
  bootstrap: [App],
  providers: [
    provideAuth(authConfig)
  ]
})
export class AppModule { }
`);
  });
});

describe('root provider: shapes it cannot edit safely stop the run before any write', () => {
  it('providers is not an array literal', async () => {
    expect(await failure('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';
import { sharedProviders } from './shared';

export const appConfig: ApplicationConfig = {
  providers: sharedProviders
};
` })).toBe('src/app/app.config.ts:5: providers is not an array literal; add provideAuth(authConfig) ' +
      `(import { provideAuth } from './auth/provide-auth'; import { authConfig } from './auth/auth.config') to it by hand.`);
  });

  it('the config made by a function call, with a clash: the message names the aliased imports', async () => {
    expect(await failure('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';
import { getAuth, provideAuth } from '@angular/fire/auth';
import { makeConfig } from './make-config';

export const appConfig: ApplicationConfig = makeConfig([provideAuth(() => getAuth())]);
` })).toBe('src/app/app.config.ts:5: the application config is not an object literal; add provideAuthRenewal(authConfig) ' +
      `(import { provideAuth as provideAuthRenewal } from './auth/provide-auth'; import { authConfig } from './auth/auth.config') ` +
      `to the app's root providers by hand.`);
  });

  it('the config imported by main.ts is not declared by that name', async () => {
    expect(await failure('ng22', { [CONFIG]: `import { ApplicationConfig } from '@angular/core';

const config: ApplicationConfig = { providers: [] };
export { config as appConfig };
` })).toBe('src/app/app.config.ts: appConfig is not declared or imported by name at the top level of this file; ' +
      `add provideAuth(authConfig) (import { provideAuth } from './auth/provide-auth'; import { authConfig } from './auth/auth.config') ` +
      `to the app's root providers by hand.`);
  });

  it('no bootstrap call in main.ts', async () => {
    expect(await failure('ng22', { [MAIN]: `import { start } from './start';\n\nstart();\n` })).toBe(
      'src/main.ts: no bootstrapApplication or bootstrapModule call found; add provideAuth(authConfig) ' +
      `(import { provideAuth } from './app/auth/provide-auth'; import { authConfig } from './app/auth/auth.config') ` +
      `to the app's root providers by hand.`);
  });

  it('once wired by hand after that error, a run succeeds and leaves the file alone', async () => {
    const byHand = `import { ApplicationConfig } from '@angular/core';
import { sharedProviders } from './shared';
import { provideAuth } from './auth/provide-auth';
import { authConfig } from './auth/auth.config';

sharedProviders.push(provideAuth(authConfig));

export const appConfig: ApplicationConfig = {
  providers: sharedProviders
};
`;
    const tree = await runAuthRenew(workspace('ng22', { [CONFIG]: byHand }));
    expect(tree.readText(CONFIG)).toBe(byHand);
  });
});
