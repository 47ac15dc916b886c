import type { RuleTrigger } from './schema.js';

/** The moments of a pass that triggers can wait for besides event types. */
export interface TriggerMoments {
  readonly reopened?: boolean;
  readonly statusChanged?: boolean;
}

/** The triggers waiting for a pass's event types or moments, in the order listed. */
export type TriggersFor = (types: readonly string[], moments?: TriggerMoments) => readonly RuleTrigger[];

const NONE: readonly RuleTrigger[] = Object.freeze([]);

/**
 * Indexes triggers by what they wait for (each event type and moment: the triggers that name
 * it, in the order listed). A pass of one event type, the usual case, is one lookup; passes of
 * several types are merged once and remembered by their key.
 *
 * @internal
 */
export function indexTriggers(triggers: readonly RuleTrigger[]): TriggersFor {
  const positions = new Map<string, number[]>();
  triggers.forEach((trigger, i) => {
    for (const when of new Set(Array.isArray(trigger.when) ? trigger.when : [trigger.when])) {
      const list = positions.get(when);
      if (list === undefined) positions.set(when, [i]);
      else list.push(i);
    }
  });
  const select = (types: readonly string[], reopened: boolean, statusChanged: boolean) => {
    const chosen = new Set<number>();
    for (const type of types) for (const i of positions.get(type) ?? []) chosen.add(i);
    if (reopened) for (const i of positions.get('reopened') ?? []) chosen.add(i);
    if (statusChanged) for (const i of positions.get('status_changed') ?? []) chosen.add(i);
    if (chosen.size === 0) return NONE;
    // Frozen: the lifecycle keeps each list's compiled conditions beside it.
    return Object.freeze([...chosen].sort((a, b) => a - b).map((i) => triggers[i]!));
  };
  // One event type: four lists per type (without or with each moment), built when first asked.
  const single = new Map<string, (readonly RuleTrigger[] | undefined)[]>();
  const several = new Map<string, readonly RuleTrigger[]>();
  return (types, moments) => {
    const reopened = moments?.reopened === true;
    const statusChanged = moments?.statusChanged === true;
    const variant = (reopened ? 1 : 0) + (statusChanged ? 2 : 0);
    if (types.length === 1) {
      const type = types[0]!;
      let lists = single.get(type);
      if (lists === undefined) {
        // A caller may ask with any string: past a thousand types, unknown ones are not kept.
        if (!positions.has(type) && single.size > 1_000) return select(types, reopened, statusChanged);
        lists = [undefined, undefined, undefined, undefined];
        single.set(type, lists);
      }
      let list = lists[variant];
      if (list === undefined) {
        list = select(types, reopened, statusChanged);
        lists[variant] = list;
      }
      return list;
    }
    const key = `${types.join('\u0000')}|${variant}`;
    let list = several.get(key);
    if (list === undefined) {
      list = select(types, reopened, statusChanged);
      if (several.size < 10_000) several.set(key, list);
    }
    return list;
  };
}
