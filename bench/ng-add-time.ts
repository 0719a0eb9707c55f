// Part 3: `ng add` time, schematic phase, install excluded.
// times[k] of every row is from round k: the two packages can be compared round by round (paired).
//
// One fresh workspace per package, copied from the same `ng new`, with the package (and the runtime
// dependency its schematic adds: oauth4webapi for ngx-auth-renew) installed beforehand. Then, n times,
// alternating the packages, each run on the workspace restored to its pre-`ng add` state:
//  - `ng add <pkg>@* --dry-run`: the CLI sees the package installed ("Skipping installation"), runs
//    the ng-add schematic, nothing is written and no scheduled task (npm install) runs — the schematic
//    phase alone, on equal terms;
//  - `ng add <pkg>@*` for real: files written, plus whatever install task the schematic schedules
//    (ngx-auth-renew schedules none when oauth4webapi is present; angular-auth-oidc-client always
//    schedules `npm install`, here a no-op over an installed tree) — what a user waits for when the
//    package is already installed;
//  - `ng version`: the CLI's own start-up, as a floor.
import { join } from 'node:path';
import { ISSUER } from './contenders.ts';
import { WORK, copyBase, installedVersion, npmInstall, sh, snapshot } from './lib/workspace.ts';
import { median } from './lib/stats.ts';
import { ngAddProbe } from './ng-add-probe.ts';
import type { ProbeRow } from './ng-add-probe.ts';

export interface NgAddRow {
  id: string;
  version: string;
  mode: string;
  command: string;
  n: number;
  times: number[];
  error?: string;
}

interface Subject {
  id: string;
  install: { dev?: string[]; prod?: string[] };
  pkg: string;
  args: string[];
}

export async function ngAddBench(opts: { base: string; tarball: string; runs: number; log: (s: string) => void }): Promise<{ rows: NgAddRow[]; probe: ProbeRow[] }> {
  const subjects: Subject[] = [
    {
      id: 'ngx-auth-renew',
      install: { dev: [opts.tarball], prod: ['oauth4webapi@^3.8.0'] },
      pkg: 'ngx-auth-renew',
      args: ['--defaults', '--authority', ISSUER, '--client-id', 'spa-code'],
    },
    {
      id: 'angular-auth-oidc-client',
      install: { prod: ['angular-auth-oidc-client'] },
      pkg: 'angular-auth-oidc-client',
      args: ['--flow-type', 'OIDC Code Flow PKCE using refresh tokens', '--authority-url-or-tenant-id', ISSUER],
    },
  ];
  const ws: { s: Subject; dir: string; restore: () => void; version: string; log: string }[] = [];
  for (const s of subjects) {
    const dir = copyBase(opts.base, 'ng-add', s.id);
    const log = join(WORK, 'logs', `ng-add-${s.id}.log`);
    if (s.install.prod) await npmInstall(dir, s.install.prod, log);
    if (s.install.dev) await npmInstall(dir, ['-D', ...s.install.dev], log);
    ws.push({ s, dir, restore: snapshot(dir), version: installedVersion(dir, s.pkg), log });
  }
  const rows: NgAddRow[] = [];
  const row = (id: string, version: string, mode: string, command: string) => {
    let r = rows.find((x) => x.id === id && x.mode === mode);
    if (!r) rows.push((r = { id, version, mode, command, n: 0, times: [] }));
    return r;
  };
  // Run -1 warms the file cache and the CLI for both packages; it is not recorded.
  for (let i = -1; i < opts.runs; i++) {
    // The order alternates per round, so that neither package always runs on a cache the other warmed.
    for (const w of i % 2 ? ws : [...ws].reverse()) {
      for (const [mode, extra] of [['dry-run (schematic only)', ['--dry-run']], ['written, pre-installed', []]] as const) {
        w.restore();
        const args = ['add', `${w.s.pkg}@*`, '--skip-confirmation', ...w.s.args, ...extra];
        const r = row(w.s.id, w.version, mode, `ng ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`);
        try {
          const t = performance.now();
          const { out } = await sh('ng', args, w.dir, w.log);
          const took = performance.now() - t;
          if (!/Skipping installation/.test(out)) r.error = 'the CLI installed the package again';
          if (i >= 0) r.times.push(took);
        } catch (e) {
          r.error = String((e as Error).message).split('\n')[0];
        }
      }
      w.restore();
    }
    const t = performance.now();
    await sh('ng', ['version'], ws[0].dir, join(WORK, 'logs', 'ng-version.log'));
    if (i >= 0) row('CLI floor', '', '`ng version`', 'ng version').times.push(performance.now() - t);
  }
  for (const r of rows) r.n = r.times.length;
  for (const r of rows) opts.log(`  ${r.id} ${r.mode}: median ${median(r.times).toFixed(0)} ms over ${r.n}${r.error ? ` (${r.error})` : ''}`);
  opts.log('  probe: one no-op schematic with either option schema');
  const [ours, peer] = ws.map((w) => ({ dir: w.dir, args: w.s.args }));
  const probe = await ngAddProbe({ ours, peer, runs: opts.runs, log: opts.log });
  for (const r of probe) opts.log(`  probe ${r.id}: median ${median(r.times).toFixed(0)} ms over ${r.times.length}${r.error ? ` (${r.error})` : ''}`);
  return { rows, probe };
}
