#!/usr/bin/env node
// `npm run test:mutation [-- calendar sla metrics] [-- <stryker options>]`: Stryker over each named
// module in turn (all three when none is named), each with its own incremental file
// (stryker.config.mjs), then one line a module with its score. Exits non-zero when a module is
// under the break threshold (85 %) or Stryker fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const known = ['calendar', 'sla', 'metrics'];
const args = process.argv.slice(2);
const named = args.filter((arg) => known.includes(arg));
const passed = args.filter((arg) => !known.includes(arg));
const modules = named.length > 0 ? named : known;

const lines = [];
let failed = false;
for (const module of modules) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', ...passed], {
    stdio: 'inherit',
    env: { ...process.env, CAREKIT_MUTATION_MODULE: module, CAREKIT_PROPERTY_RUNS: '0.25', TZ: 'UTC' },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const report = `reports/mutation/${module}.json`;
  if (run.status !== 0) failed = true;
  if (!existsSync(report)) {
    lines.push(`${module}: no report (stryker exited ${run.status}) after ${minutes} min`);
    continue;
  }
  const counts = {};
  for (const file of Object.values(JSON.parse(readFileSync(report, 'utf8')).files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  lines.push(
    `${module}: ${score.toFixed(2)} % (${detected} of ${valid} detected; ${counts.Survived ?? 0} survived, ` +
      `${counts.NoCoverage ?? 0} not covered, ${counts.Ignored ?? 0} ignored) in ${minutes} min`,
  );
}
console.log(`\nmutation score by module (target 85 %):\n${lines.map((line) => `  ${line}`).join('\n')}`);
process.exit(failed ? 1 : 0);
