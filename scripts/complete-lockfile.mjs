// The npm registry reachable from this project's machines carries only the Linux builds of
// packages that ship one native binary per platform (@rollup/rollup-*, @biomejs/cli-*), so
// `npm install` here leaves the other platforms' optional packages out of package-lock.json,
// and npm 11's `npm ci` then refuses the lock file ("Missing: ... from lock file").
// This script adds those entries back, with the os/cpu/libc their names state, so `npm ci`
// accepts the lock here and installs the right binary on any other platform.
// Run `npm run lock:complete` after `npm install`; `--check` only reports (exit 1 if incomplete).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'win32',
  'openbsd',
  'openharmony',
  'sunos',
  'aix',
  'netbsd',
];
const CPU = {
  'arm-eabi': 'arm',
  arm64: 'arm64',
  arm: 'arm',
  x64: 'x64',
  ia32: 'ia32',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
};

/** The platform a package name such as `@rollup/rollup-linux-arm64-musl` is built for. */
export function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const osIndex = parts.findIndex((p) => OS.includes(p));
  if (osIndex < 0) return null;
  const rest = parts.slice(osIndex + 1);
  const cpuKey =
    rest.join('-') in CPU ? rest.join('-') : rest[0] === 'arm' && rest[1] === 'eabi' ? 'arm-eabi' : rest[0];
  const cpu = CPU[cpuKey] ?? (rest[0] === undefined ? 'x64' : undefined);
  if (cpu === undefined) return null;
  const platform = { os: [parts[osIndex]], cpu: [cpu] };
  if (rest.some((p) => p === 'musl' || p === 'musleabihf')) platform.libc = ['musl'];
  else if (parts[osIndex] === 'linux' && rest.some((p) => p === 'gnu' || p === 'gnueabihf'))
    platform.libc = ['glibc'];
  else if (parts[osIndex] === 'linux' && name.startsWith('@biomejs/')) platform.libc = ['glibc'];
  return platform;
}

const file = join(import.meta.dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `${path === '' ? '' : `${path}/`}node_modules/${dep}`;
    if (lock.packages[at] !== undefined || lock.packages[`node_modules/${dep}`] !== undefined) continue;
    const platform = platformOf(dep);
    if (platform === null || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    lock.packages[`node_modules/${dep}`] = {
      version: spec,
      ...platform,
      ...(entry.dev ? { dev: true } : {}),
      ...(entry.license ? { license: entry.license } : {}),
      optional: true,
    };
    added.push(`${dep}@${spec}`);
  }
}
if (process.argv.includes('--check')) {
  if (added.length > 0) {
    console.error(
      `package-lock.json lacks ${added.length} optional platform packages; run: npm run lock:complete`,
    );
    process.exit(1);
  }
  console.log('package-lock.json lists every optional platform package');
} else {
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  );
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${added.length} optional platform packages to package-lock.json`);
}
