// The registry this project installs from serves only the platform binaries it needs, so npm
// leaves the other platforms' optional packages (DuckDB bindings, Rollup) out of the lockfile,
// and `npm ci` then refuses the lockfile as out of sync. This adds those optional entries with
// the os/cpu/libc their names state, so npm ci skips them as foreign-platform packages.
// Run it after `npm install` changes dependencies: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    packages[key] = { version: version.replace(/^[\^~]/, ''), ...platform, optional: true };
    added++;
  }
  void path;
}

function platformOf(name) {
  const suffix = name.split('/').pop();
  const match = /(android|darwin|freebsd|linux|openbsd|openharmony|win32|sunos|aix|netbsd)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x|mips64el)(?:-(gnueabihf|musleabihf|eabi|gnu|musl|msvc))?$/.exec(suffix);
  if (!match) return null;
  const [, os, cpu, abi] = match;
  const platform = { os: [os], cpu: [cpu] };
  if (abi === 'musl' || abi === 'musleabihf') platform.libc = ['musl'];
  if (abi === 'gnu' || abi === 'gnueabihf') platform.libc = ['glibc'];
  return platform;
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} foreign-platform optional entries to package-lock.json`);
