import { badArgument, checkObject, checkOneOf, readArgument, readBag } from '../model/arguments.js';
import type { ReviewErrorCode } from './errors.js';

/** Options of {@link toMermaid}. */
export interface ToMermaidOptions {
  /**
   * Draw transitions that have no target (they run actions and stay) as loops on their state.
   * Default false: they crowd a diagram, and a review table lists them better.
   */
  readonly includeTargetless?: boolean;
  /** Put the guard's name on the label, like `agent.replied [canSolve]`. Default true. */
  readonly showGuards?: boolean;
  /** Direction of the diagram. Default `TB` (Mermaid's own default). */
  readonly direction?: 'TB' | 'LR';
}

// The parts of XState's StateNode and TransitionDefinition that a diagram needs.
interface NodeLike {
  readonly id: string;
  readonly key: string;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly states: Readonly<Record<string, NodeLike>>;
  readonly transitions: ReadonlyMap<string, readonly TransitionLike[]>;
  readonly always?: readonly TransitionLike[] | undefined;
  readonly initial?: { readonly target: readonly NodeLike[] } | undefined;
  readonly description?: string | undefined;
}

interface TransitionLike {
  readonly eventType: string;
  readonly target?: readonly NodeLike[] | undefined;
  readonly guard?: unknown;
}

/** The name of a guard as a reviewer reads it: `canSolve`, `setsStatus(pending)`, `and(a, b)`. */
export function guardLabel(guard: unknown): string {
  if (guard === undefined || guard === null) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const nested = (guard as { guards?: readonly unknown[] }).guards;
    if (Array.isArray(nested) && ['and', 'or', 'not'].includes(guard.name)) {
      return `${guard.name}(${nested.map(guardLabel).join(', ')})`;
    }
    return guard.name === '' ? 'inline guard' : guard.name;
  }
  if (typeof guard === 'object') {
    const type = readArgument(guard, 'type', 'guardLabel', ['guard']);
    const params = readArgument(guard, 'params', 'guardLabel', ['guard']);
    const name = typeof type === 'string' ? type : 'guard';
    if (params !== undefined && params !== null && typeof params === 'object') {
      const values = Object.values(params as Record<string, unknown>).map((v) => String(v));
      if (values.length > 0) return `${name}(${values.join(', ')})`;
    }
    return name;
  }
  return String(guard);
}

function mermaidId(node: NodeLike): string {
  // Mermaid state ids must be plain words: the XState id path with dots and odd characters replaced.
  return node.id.replace(/[^A-Za-z0-9_]/g, '_');
}

function label(text: string): string {
  // A colon starts a label in Mermaid; keep labels to characters it never misreads.
  return text
    .replace(/[:;#{}]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Draws any XState v5 machine as a Mermaid `stateDiagram-v2`: nested and parallel states,
 * final states, the initial state of each region, guarded transitions labelled with the
 * guard's name, self-transitions, and eventless (`always`) transitions labelled `always`.
 * The parameter is typed by what it reads (the machine's `root` state node), so that carekit's
 * declarations do not load xstate's: any XState v5 machine, or a workflow's `machine`, fits.
 *
 * @example
 * ```ts
 * const light = createMachine({ id: 'light', initial: 'green', states: {
 *   green: { on: { TIMER: 'yellow' } }, yellow: { on: { TIMER: 'red' } }, red: { type: 'final' } } });
 * toMermaid(light);
 * //=> 'stateDiagram-v2\n  [*] --> light_green\n  state "green" as light_green\n  ...\n  light_green --> light_yellow : TIMER\n  ...\n  light_red --> [*]'
 * ```
 */
export function toMermaid(machine: { readonly root: object }, options: ToMermaidOptions = {}): string {
  const fn = 'toMermaid';
  const m = checkObject(
    machine,
    fn,
    ['machine'],
    'an XState machine (createMachine, or a workflow .machine)',
  );
  const root = readArgument(m, 'root', fn, ['machine']) as NodeLike;
  if (root === null || typeof root !== 'object')
    badArgument<ReviewErrorCode>(
      fn,
      ['machine'],
      'an XState machine (createMachine, or a workflow .machine)',
      machine,
      'invalid_machine',
    );
  const o = readBag(options, fn, ['options'], 'an options object', [
    'includeTargetless',
    'showGuards',
    'direction',
  ]);
  for (const key of ['includeTargetless', 'showGuards'])
    if (o[key] !== undefined && typeof o[key] !== 'boolean')
      badArgument<ReviewErrorCode>(fn, ['options', key], 'true or false', o[key]);
  if (o.direction !== undefined) checkOneOf(o.direction, ['TB', 'LR'], fn, ['options', 'direction']);
  const { includeTargetless = false, showGuards = true, direction } = o as ToMermaidOptions;
  const lines: string[] = ['stateDiagram-v2'];
  if (direction !== undefined) lines.push(`  direction ${direction}`);
  const edges: string[] = [];

  const edge = (from: NodeLike, t: TransitionLike, event: string) => {
    const guard = showGuards ? guardLabel(t.guard) : '';
    const text = label(guard === '' ? event : `${event} [${guard}]`);
    const targets = t.target ?? [];
    if (targets.length === 0) {
      if (includeTargetless) edges.push(`  ${mermaidId(from)} --> ${mermaidId(from)} : ${text}`);
      return;
    }
    for (const target of targets) edges.push(`  ${mermaidId(from)} --> ${mermaidId(target)} : ${text}`);
  };

  const walk = (node: NodeLike, indent: string) => {
    const children = Object.values(node.states);
    const initial = node.initial?.target ?? [];
    if (node.type === 'parallel') {
      children.forEach((child, index) => {
        if (index > 0) lines.push(`${indent}--`);
        declare(child, indent);
      });
    } else {
      for (const target of initial) lines.push(`${indent}[*] --> ${mermaidId(target)}`);
      for (const child of children) declare(child, indent);
    }
  };

  const declare = (node: NodeLike, indent: string) => {
    const id = mermaidId(node);
    if (Object.keys(node.states).length > 0) {
      lines.push(`${indent}state "${label(node.key)}" as ${id} {`);
      walk(node, `${indent}  `);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state "${label(node.key)}" as ${id}`);
    }
    if (node.type === 'final') edges.push(`  ${id} --> [*]`);
    for (const [event, transitions] of node.transitions) {
      for (const t of transitions) edge(node, t, event);
    }
    for (const t of node.always ?? []) edge(node, t, 'always');
  };

  if (root.type === 'parallel') {
    // Mermaid separates concurrent regions with `--` only inside a composite state, so a
    // parallel machine is drawn as one composite state entered from the start.
    lines.push(`  [*] --> ${mermaidId(root)}`);
    declare(root, '  ');
  } else {
    walk(root, '  ');
  }
  return [...lines, ...edges].join('\n');
}
