#!/usr/bin/env bash
# Makes the workspaces the schematic specs run on, with the real Angular CLI of each major version
# (no install: the specs read files only). Cached in .cache/fixtures; delete that folder to remake.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/fixtures
export NG_CLI_ANALYTICS=false
mkdir -p "$out"

# Made outside this repository: the CLI formats what it writes with any prettier it can resolve
# from the working directory, and a user's `ng new` has none yet when it writes the files.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ng_new() { # <cli version> <name> <ng new flags...>
  local version=$1 name=$2; shift 2
  [ -f "$out/$name/angular.json" ] && return 0
  (cd "$scratch" && npx -y -p "@angular/cli@$version" ng new "$name" --skip-install --skip-git "$@" >/dev/null)
  mv "$scratch/$name" "$out/$name"
  echo "fixture $name: Angular CLI $version, ng new $*"
}

ng_new 22.2.7 ng22 --defaults
ng_new 21.2.27 ng21-karma --defaults --test-runner=karma
ng_new 20.3.41 ng20-module --defaults --no-standalone

ng_new 22.2.7 multi --create-application=false
if ! grep -q '"admin"' "$out/multi/angular.json"; then
  mv "$out/multi" "$scratch/multi"
  (cd "$scratch/multi" &&
    npx -y -p @angular/cli@22.2.7 ng g application admin --skip-install >/dev/null &&
    npx -y -p @angular/cli@22.2.7 ng g application shop --project-root=apps/shop --skip-install >/dev/null &&
    npx -y -p @angular/cli@22.2.7 ng g library ui --skip-install >/dev/null)
  mv "$scratch/multi" "$out/multi"
  echo "fixture multi: applications admin (projects/admin), shop (apps/shop), library ui"
fi

# --bff needs an app with @angular/ssr (server.ts with Express and AngularNodeAppEngine).
ng_new 22.2.7 ng22-ssr --defaults --ssr
ng_new 20.3.41 ng20-ssr --defaults --ssr
