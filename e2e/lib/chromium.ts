// The system Chromium (Debian's /usr/bin/chromium) driven by playwright-core; never a downloaded browser.
import { existsSync } from 'node:fs';
import type { Browser, BrowserType } from 'playwright-core';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export interface LaunchOptions {
  /** --host-resolver-rules entries; default maps idp.test (a cross-site provider) and app.test (the --bff app) to 127.0.0.1. */
  hostRules?: string[];
  extraArgs?: string[];
  headless?: boolean;
}

export async function launchChromium({ hostRules = ['MAP idp.test 127.0.0.1', 'MAP app.test 127.0.0.1'], extraArgs = [], headless = process.env.E2E_HEADED !== '1' }: LaunchOptions = {}): Promise<Browser> {
  let chromium: BrowserType;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('playwright-core is not installed (devDependency of the e2e kit): npm i -D playwright-core');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set E2E_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(hostRules.length ? [`--host-resolver-rules=${hostRules.join(',')}`] : []),
      ...extraArgs,
    ],
  });
}
