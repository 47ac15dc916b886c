// Runs every TSDoc @example of src/ and compares each shown result (`//=> value`) with the value
// computed (rules in ./compare.ts). A block without a shown result is run too.
/// <reference types="vite/client" />
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as carekit from '../../src/index.js';
import * as store from '../../src/store-postgres/index.js';
import { compareShown, expectedOf } from './compare.js';
import { extractExamples } from './extract.js';
import * as fixtures from './fixtures.js';
import { rewrite } from './rewrite.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = extractExamples(root);

/**
 * Examples not compared yet, with the reason: most need a fixture (`facts`, `policy`, a store) that
 * tests/doctest/fixtures.ts does not provide yet, a few show a result that differs from the one
 * computed. Each is still run and must still fail, so the list can only shrink.
 */
const NOT_RUN: Readonly<Record<string, string>> = {
  'src/metrics/abandonment.ts:41': 'needs the fixture `facts`',
  'src/metrics/abandonment.ts:67': 'needs the fixture `facts`',
  'src/metrics/customerJourney.ts:77': 'needs the fixture `ticketEvents`',
  'src/metrics/customers.ts:92': 'needs the fixture `facts`',
  'src/metrics/customers.ts:224': 'needs the fixture `facts`',
  'src/metrics/customers.ts:253': 'needs the fixture `facts`',
  'src/metrics/customers.ts:295': 'needs the fixture `facts`',
  'src/metrics/customers.ts:336': 'needs the fixture `facts`',
  'src/metrics/durations.ts:181': 'needs the fixture `facts`',
  'src/metrics/durations.ts:197': 'needs the fixture `facts`',
  'src/metrics/durations.ts:232': 'needs the fixture `facts`',
  'src/metrics/durations.ts:259': 'needs the fixture `facts`',
  'src/metrics/durations.ts:279': 'needs the fixture `facts`',
  'src/metrics/durations.ts:293': 'needs the fixture `facts`',
  'src/metrics/durations.ts:359': 'needs the fixture `facts`',
  'src/metrics/durations.ts:376': 'needs the fixture `facts`',
  'src/metrics/durations.ts:391': 'needs the fixture `facts`',
  'src/metrics/durations.ts:405': 'needs the fixture `facts`',
  'src/metrics/kpiReport.ts:15': 'needs the fixture `facts`',
  'src/metrics/kpiReport.ts:102': 'needs the fixture `report`',
  'src/metrics/kpiReportAccumulator.ts:104': 'needs the fixture `facts`',
  'src/metrics/kpiReportAccumulator.ts:140': 'needs the fixture `mondayFacts`',
  'src/metrics/kpiReportBy.ts:48': 'needs the fixture `monday`',
  'src/metrics/kpiReportBy.ts:93': 'needs the fixture `facts`',
  'src/metrics/rates.ts:149': 'needs the fixture `facts`',
  'src/metrics/rates.ts:197': 'needs the fixture `facts`',
  'src/metrics/rates.ts:213': 'needs the fixture `facts`',
  'src/metrics/rates.ts:229': 'needs the fixture `facts`',
  'src/metrics/rates.ts:246': 'needs the fixture `facts`',
  'src/metrics/rates.ts:267': 'needs the fixture `facts`',
  'src/metrics/rates.ts:304': 'needs the fixture `facts`',
  'src/metrics/rates.ts:326': 'needs the fixture `facts`',
  'src/metrics/rates.ts:349': 'needs the fixture `facts`',
  'src/metrics/rates.ts:364': 'needs the fixture `facts`',
  'src/metrics/rates.ts:379': 'needs the fixture `facts`',
  'src/metrics/reportStream.ts:148': 'needs the fixture `workflow`',
  'src/metrics/selfService.ts:16': 'needs the fixture `facts`',
  'src/metrics/selfService.ts:67': 'needs the fixture `monday`',
  'src/metrics/selfService.ts:134': 'needs the fixture `facts`',
  'src/metrics/ticketFacts.ts:146': 'needs the fixture `opened`',
  'src/metrics/utilisation.ts:96': 'needs the fixture `weekdays`',
  'src/metrics/utilisation.ts:188': 'needs the fixture `facts`',
  'src/metrics/volume.ts:150': 'needs the fixture `facts`',
  'src/model/arguments.ts:14': 'its shown result is never reached (the example does not throw as it says)',
  'src/model/options.ts:49': 'the shown message differs from the one computed',
  'src/model/parse.ts:210': 'needs the fixture `Ajv2020`',
  'src/review/describeDesk.ts:616': 'needs the fixture `desk`',
  'src/review/diffDeskConfigs.ts:166': 'needs the fixture `oldConfig`',
  'src/review/withSummary.ts:21': 'needs the fixture `config`',
  'src/routing/answer/botPolicy.ts:107': 'needs the fixture `book`',
  'src/routing/answer/createAnswerBook.ts:145': 'needs the fixture `book`',
  'src/routing/classify/chainClassifiers.ts:53': 'needs the fixture `rules`',
  'src/routing/classify/patternSafety.ts:543': 'the shown message differs from the one computed',
  'src/routing/classify/trainTextClassifier.ts:191': 'needs the fixture `examples`',
  'src/routing/escalate/evaluateEscalation.ts:87': 'needs the fixture `policy`',
  'src/routing/escalate/proposeRemedies.ts:56': 'needs the fixture `policy`',
  'src/routing/escalate/toEscalateFn.ts:33': 'needs the fixture `policy`',
  'src/rules/actionEvents.ts:30': 'needs the fixture `ticket`',
  'src/rules/automationInstant.ts:68': 'needs the fixture `reminder`',
  'src/rules/dryRun.ts:67': 'needs the fixture `candidateRules`',
  'src/rules/evaluateCondition.ts:108': 'needs the fixture `ticket`',
  'src/rules/explainTicket.ts:106': 'needs the fixture `log`',
  'src/sla/createSlaEngine.ts:43': 'needs the fixture `policy`',
  'src/sla/evaluateSla.ts:52': 'needs the fixture `policy`',
  'src/sla/readSla.ts:78': 'needs the fixture `state`',
  'src/sla/stepSla.ts:92': 'needs the fixture `clock`',
  'src/sla/stepSla.ts:188': 'needs the fixture `stateOfPolicyA`',
  'src/sla/stepSla.ts:217': 'needs the fixture `openedEvent`',
  'src/sla/stepSla.ts:290': 'needs the fixture `state`',
  'src/store-postgres/CarekitStoreError.ts:18':
    'its shown result is never reached (the example does not throw as it says)',
  'src/store-postgres/createPostgresStore.ts:81': 'needs the fixture `store`',
  'src/store-postgres/createPostgresStore.ts:93': 'needs the fixture `store`',
  'src/store-postgres/createPostgresStore.ts:105': 'needs the fixture `store`',
  'src/store-postgres/createPostgresStore.ts:118': 'needs the fixture `store`',
  'src/store-postgres/createPostgresStore.ts:133': 'needs the fixture `standard`',
  'src/store-postgres/createPostgresStore.ts:195': 'needs the fixture `PGlite`',
  'src/store-postgres/migrate.ts:225': 'needs the fixture `PGlite`',
  'src/store-postgres/node/index.ts:82': 'opens a PGlite directory on disk',
  'src/store-postgres/node/index.ts:176': 'opens a PGlite directory on disk',
  'src/store-postgres/pgPoolClient.ts:24': 'needs the fixture `pg`',
  'src/store-postgres/pgliteClient.ts:23': 'needs the fixture `PGlite`',
  'src/templates/starterTemplates.ts:93': 'needs the fixture `context`',
  'src/workflows/desk/config.ts:242': 'throws: Invalid desk configuration: 1 problem',
  'src/workflows/desk/config.ts:257': 'needs the fixture `contact`',
  'src/workflows/desk/store.ts:153': 'needs the fixture `stored`',
  'src/workflows/desk/store.ts:169': 'needs the fixture `stored`',
  'src/workflows/desk/store.ts:190': 'needs the fixture `stored`',
  'src/workflows/desk/store.ts:205': 'needs the fixture `stored`',
  'src/workflows/ticket/options.ts:124': 'needs the fixture `log`',
  'src/workflows/ticket/snapshot.ts:164':
    'throws: the stored snapshot is damaged at context.ticketId: Invalid input: expected stri',
};

/** Shown results written as prose, not a value: the example runs, the result is not compared. */
const PROSE = new Set<string>([]);

// The modules of src/ but the CLI (which runs when imported): an example sees the public names and
// those of its own file (it may show a helper that is not public).
const modules = import.meta.glob<Record<string, unknown>>(['../../src/**/*.ts', '!../../src/cli/**'], {
  eager: true,
});
const publicScope: Record<string, unknown> = { ...carekit, ...store, z, ...fixtures };

async function run(code: string, where: string): Promise<{ prose: number[] }> {
  const { js, shown } = rewrite(code);
  const own = modules[`../../${where.replace(/:\d+$/, '')}`] ?? {};
  const scope: Record<string, unknown> = { ...own, ...publicScope };
  const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const reached = new Set<number>();
  const prose: number[] = [];
  const log: unknown[][] = [];
  const show = async (index: number, thunk: () => Promise<unknown>, isLog: boolean) => {
    reached.add(index);
    const expected = expectedOf(shown[index]!, isLog);
    const label = `${where} //=> ${shown[index]}`;
    if (expected.kind === 'throws') {
      let error: unknown;
      try {
        await thunk();
      } catch (e) {
        error = e;
      }
      expect(error, `${label}: expected a throw`).toBeInstanceOf(Error);
      const e = error as Error & { code?: string; issues?: { code?: string }[] };
      if (expected.name)
        expect(e.name === expected.name || e.constructor.name === expected.name, label).toBe(true);
      if (expected.code) {
        const codes = [e.code, ...(e.issues ?? []).map((i) => i.code)];
        expect(codes, label).toContain(expected.code);
      }
      if (expected.message) expect(e.message, label).toContain(expected.message);
      return;
    }
    const value = await thunk();
    if (expected.kind === 'prose') prose.push(index);
    else compareShown(value, expected, label);
  };
  const quiet = { ...console, log: (...args: unknown[]) => log.push(args) };
  const body = `const { ${names.join(', ')} } = __scope;\nreturn (async () => {\n${js}\n})();`;
  await new Function('__scope', '__show', 'console', body)(scope, show, quiet);
  const missed = shown.map((_, i) => i).filter((i) => !reached.has(i));
  expect(
    missed.map((i) => shown[i]),
    `${where}: shown results never reached`,
  ).toEqual([]);
  return { prose };
}

describe('the examples of src/ run and show what they compute', () => {
  it('finds the examples (a broken extractor would pass every test)', () => {
    expect(examples.length).toBeGreaterThan(150);
    expect(examples.filter((e) => e.shows).length).toBeGreaterThan(150);
  });

  it('lists only examples that exist', () => {
    const wheres = new Set(examples.map((e) => e.where));
    expect(Object.keys(NOT_RUN).filter((w) => !wheres.has(w))).toEqual([]);
  });

  it.each(examples.map((e) => [`${e.where} ${e.symbol}`, e] as const))('%s', async (_, example) => {
    const reason = NOT_RUN[example.where];
    if (reason?.includes('on disk')) return;
    if (reason) {
      // A listed example still fails; once it passes, strike it from the list.
      await expect(
        run(example.code, example.where),
        `${example.where} passes now: remove it from NOT_RUN`,
      ).rejects.toThrow();
      return;
    }
    const { prose } = await run(example.code, example.where);
    expect(
      prose.length > 0,
      `${example.where}: prose results ${PROSE.has(example.where) ? 'listed' : 'not listed'}`,
    ).toBe(PROSE.has(example.where));
  });
});
