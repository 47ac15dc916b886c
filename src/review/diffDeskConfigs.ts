import { parseDeskConfig, type ResolvedDeskConfig } from '../workflows/index.js';
import { deskHash } from './describeDesk.js';
import { CLOCK_NAMES, DAY_NAMES, duration, table } from './markdown.js';
import { CAREKIT_VERSION, canonicalJson } from './stamp.js';

/** Options of {@link diffDeskConfigs}. */
export interface DiffDeskConfigsOptions {
  /** The date the page states. Default now. */
  readonly date?: Date | number;
  /** How the two configurations are named on the page (their file names). Default `before`, `after`. */
  readonly names?: readonly [string, string];
}

/** One difference between two configurations: where, and the value before and after (null: absent). */
export interface DeskConfigChange {
  readonly path: readonly string[];
  readonly before: string | null;
  readonly after: string | null;
}

const SECTION: Record<string, string> = {
  name: 'Name',
  calendars: 'Calendar',
  slaPolicies: 'SLA policy',
  classification: 'Classification rules',
  segments: 'Segments',
  agents: 'Agent',
  routing: 'Routing',
  escalation: 'Escalation',
  lifecycle: 'Lifecycle',
  templates: 'Template',
  bot: 'Bot',
  kpis: 'KPIs',
};
const DURATION_KEYS = new Set(['weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds']);

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isDuration = (v: unknown) =>
  isPlain(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => DURATION_KEYS.has(k));

/** How a value reads in the change table. */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (isDuration(v)) return duration(v as Record<string, number>);
  if (Array.isArray(v)) {
    // Opening hours: [['08:00', '12:00'], ...] read as 08:00–12:00.
    if (v.every((x) => Array.isArray(x) && x.length === 2 && x.every((y) => typeof y === 'string')))
      return v.map((x) => `${x[0]}–${x[1]}`).join(', ') || 'closed';
    return v.length === 0 ? 'none' : v.map(show).join(', ');
  }
  if (isPlain(v)) return canonicalJson(v);
  return String(v);
}

/** A whole list item in a few words: its name, or its settings. */
function itemSummary(item: unknown): string {
  if (!isPlain(item)) return show(item);
  if (typeof item.name === 'string') return item.name;
  if (typeof item.purpose === 'string') return item.purpose;
  return Object.entries(item)
    .filter(([k]) => k !== 'id')
    .map(([k, v]) => `${k} ${show(v)}`)
    .join('; ');
}

/** The key an array element is matched by across versions: its id, its tier, or none. */
function keyOf(item: unknown): string | null {
  if (!isPlain(item)) return null;
  if (typeof item.id === 'string') return item.id;
  if (typeof item.tier === 'number' && 'name' in item) return `tier ${item.tier}`;
  return null;
}

type Flat = Map<string, { path: string[]; value: string; item?: true }>;

function flatten(value: unknown, path: string[], out: Flat): void {
  if (Array.isArray(value) && value.length > 0 && value.every((x) => keyOf(x) !== null)) {
    for (const item of value) {
      const itemPath = [...path, keyOf(item) as string];
      // The item itself, so a whole policy, agent, tier or rule added or removed is one change.
      out.set(JSON.stringify(itemPath), { path: itemPath, value: itemSummary(item), item: true });
      flatten(item, itemPath, out);
    }
    return;
  }
  if (isPlain(value) && !isDuration(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(JSON.stringify(path), { path, value: 'none' });
    for (const [k, v] of entries) if (!(path.length > 0 && k === 'id')) flatten(v, [...path, k], out);
    return;
  }
  out.set(JSON.stringify(path), { path, value: show(value) });
}

/**
 * What changed between two desk configurations, setting by setting: SLA targets, calendars'
 * hours and holidays, escalation tiers and rules, routing, agents, lifecycle settings, templates.
 * Policies, agents, templates and tiers are matched by id (or tier number), so a reordered list
 * is no change. Both are validated first.
 *
 * @throws `CarekitValidationError` (from `carekit/model`) when either is invalid.
 * @example
 * ```ts
 * diffDeskConfigChanges({ lifecycle: { reopenWindow: { days: 7 } } }, { lifecycle: { reopenWindow: { days: 3 } } });
 * //=> [{ path: ['lifecycle', 'reopenWindow'], before: '7 days', after: '3 days' }]
 * ```
 */
export function diffDeskConfigChanges(before: unknown, after: unknown): DeskConfigChange[] {
  const a: Flat = new Map();
  const b: Flat = new Map();
  flatten(parseDeskConfig(before), [], a);
  flatten(parseDeskConfig(after), [], b);
  const changes: DeskConfigChange[] = [];
  // Inside an item only one side has, its settings are not changes of their own.
  const within = (path: readonly string[], items: readonly (readonly string[])[]) =>
    items.some((p) => p.length < path.length && p.every((x, i) => path[i] === x));
  const gone: string[][] = [];
  const added: string[][] = [];
  for (const [key, { path, value, item }] of a) {
    const next = b.get(key);
    if (within(path, gone)) continue;
    if (next === undefined) {
      changes.push({ path, before: value, after: null });
      if (item) gone.push(path);
    } else if (!item && next.value !== value) changes.push({ path, before: value, after: next.value });
  }
  for (const [key, { path, value, item }] of b) {
    if (a.has(key) || within(path, added)) continue;
    changes.push({ path, before: null, after: value });
    if (item) added.push(path);
  }
  const order = Object.keys(SECTION);
  return changes.sort(
    (x, y) =>
      order.indexOf(x.path[0] ?? '') - order.indexOf(y.path[0] ?? '') ||
      x.path.join().localeCompare(y.path.join()),
  );
}

// The same hash the review of each configuration states, so a diff names the two reviews.
const hashOf = (config: ResolvedDeskConfig) => deskHash(config).slice(0, 16);

const WORDS: Record<string, string> = {
  ...CLOCK_NAMES,
  week: 'hours',
  ...DAY_NAMES,
};

/**
 * What changed between two desk configurations, as a short Markdown document a reviewer signs
 * off: both configurations' hashes, a table of every change ({@link diffDeskConfigChanges}), and
 * lines for the reviewer's name and date. `carekit review --diff old.json new.json` writes it.
 *
 * @throws `CarekitValidationError` (from `carekit/model`) when either is invalid.
 * @example
 * ```ts
 * diffDeskConfigs(oldConfig, newConfig, { names: ['desk-v1.json', 'desk-v2.json'] }).split('\n')[0];
 * //=> '# Customer care: what changed'
 * ```
 */
export function diffDeskConfigs(
  before: unknown,
  after: unknown,
  options: DiffDeskConfigsOptions = {},
): string {
  const [oldName, newName] = options.names ?? ['before', 'after'];
  const a = parseDeskConfig(before);
  const b = parseDeskConfig(after);
  const changes = diffDeskConfigChanges(a, b);
  const date = new Date(options.date ?? Date.now()).toISOString().slice(0, 10);
  // Ids (of policies, agents, templates, calendars) in code, setting names in words.
  const ids = new Set(['calendars', 'slaPolicies', 'agents', 'templates']);
  const where = (path: readonly string[]) =>
    [
      SECTION[path[0] ?? ''] ?? path[0],
      ...path.slice(1).map((p, i) => (i === 0 && ids.has(path[0] ?? '') ? `\`${p}\`` : (WORDS[p] ?? p))),
    ].join(' › ');
  return [
    `# ${b.name}: what changed`,
    '',
    `carekit ${CAREKIT_VERSION} · ${date} · from \`${oldName}\` (hash \`${hashOf(a)}\`) to \`${newName}\` (hash \`${hashOf(b)}\`)`,
    '',
    changes.length === 0
      ? 'No changes: the two configurations run the same desk.'
      : `${changes.length} change${changes.length === 1 ? '' : 's'}:`,
    '',
    ...(changes.length === 0
      ? []
      : [
          table(
            ['Where', 'Before', 'After'],
            changes.map((c) => [where(c.path), c.before ?? '(absent)', c.after ?? '(removed)']),
          ),
          '',
        ]),
    'Reviewed and approved by: ______________________  Date: ____________',
    '',
  ].join('\n');
}
