import { checkAccumulator, checkIterable } from './guards.js';

/**
 * A mergeable accumulator: partitions computed separately (workers, days, shards, a
 * distributed job) merge into the same answer as one pass over everything. The state is plain
 * JSON, so a partial result can cross a process boundary.
 *
 * Laws (tested): `merge` is associative and commutative, `empty()` is its identity, and
 * `result(fold(all)) === result(merge(fold(part1), fold(part2)))` for any split.
 *
 * Ownership: `add` may update the state it is given and return it (a fold owns the state it
 * started with `empty()`); `merge` returns a new state and never changes its inputs.
 */
export interface Accumulator<Item, State, Result> {
  empty(): State;
  add(state: State, item: Item): State;
  merge(a: State, b: State): State;
  result(state: State): Result;
}

/**
 * Adds every item to a fresh state and returns the result.
 *
 * @example
 * ```ts
 * fold(npsAccumulator(), [10, 9, 7, 3].map((score) => ({ score })));
 * //=> { value: 25, n: 4, promoters: 2, passives: 1, detractors: 1, ... }
 * ```
 */
export function fold<Item, State, Result>(
  acc: Accumulator<Item, State, Result>,
  items: Iterable<Item>,
): Result {
  // Checked before acc.result is read: `acc.result(addAll(...))` would read it first.
  const state = addAll(acc, items, 'fold');
  return acc.result(state);
}

/** Adds every item to a fresh state and returns the state (a partition's partial result). */
export function foldState<Item, State, Result>(
  acc: Accumulator<Item, State, Result>,
  items: Iterable<Item>,
): State {
  return addAll(acc, items, 'foldState');
}

/** The fold itself; a refusal names `fn`, the function the caller called. */
function addAll<Item, State, Result>(
  acc: Accumulator<Item, State, Result>,
  items: Iterable<Item>,
  fn: string,
): State {
  checkAccumulator(acc, fn);
  checkIterable(items, fn);
  let state = acc.empty();
  for (const item of items) state = acc.add(state, item);
  return state;
}
