import { z } from 'zod';
import { badArgument } from './arguments.js';
import type { ModelErrorCode } from './errors.js';
import { type CarekitIssue, CarekitValidationError, formatPath, toCarekitIssues } from './errors.js';
import { TICKET_EVENT_TYPES, TicketEvent } from './events.js';
import { fastTicketEvent } from './fastEvent.js';
import { OrderEvent } from './order.js';

/** The result of a safe parse: the value, or the error that would have been thrown. */
export type ParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: CarekitValidationError };

/**
 * Parses any input with a zod schema and turns failures into a {@link CarekitValidationError}
 * whose issues carry carekit codes. Never throws, whatever the input; a `schema` that is not a zod
 * schema (a programming error) is refused with `invalid_schema`.
 *
 * @param what - what the input is, for the error message (`'calendar config'`).
 * @example
 * ```ts
 * const result = safeParseInput(Agent, { id: 'a1' }, 'agent');
 * result.success;
 * //=> false (name is required)
 * ```
 */
export function safeParseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'input',
  preflight?: (input: unknown) => CarekitIssue[],
): ParseResult<z.output<S>> {
  // The schema is the caller's code, not input: a wrong one is a programming error, thrown.
  checkSchema(schema, 'safeParseInput');
  if (typeof what !== 'string')
    badArgument<ModelErrorCode>('safeParseInput', ['what'], 'a short name of the input, for messages', what);
  let result: ReturnType<S['safeParse']>;
  try {
    const early = [...findForbiddenKeys(input), ...(preflight?.(input) ?? [])];
    if (early.length > 0) return { success: false, error: new CarekitValidationError(early, what) };
    result = schema.safeParse(input) as ReturnType<S['safeParse']>;
  } catch (cause) {
    // A getter or proxy in the input may throw; that is a bad input, not a crash.
    const issue: CarekitIssue = {
      code: 'unreadable_input',
      path: [],
      message: `(root): the ${what} could not be read (${cause instanceof Error ? cause.message : String(cause)})`,
    };
    return { success: false, error: new CarekitValidationError([issue], what) };
  }
  if (result.success) return { success: true, data: result.data as z.output<S> };
  return {
    success: false,
    error: new CarekitValidationError(toCarekitIssues(result.error.issues, input), what),
  };
}

/**
 * Refuses anything but a zod schema (an object with a `safeParse` function) as `schema`.
 *
 * @internal
 */
export function checkSchema(schema: unknown, fn: string): asserts schema is z.ZodType {
  let ok = false;
  try {
    ok =
      schema instanceof z.ZodType ||
      typeof (schema as { safeParse?: unknown } | null)?.safeParse === 'function';
  } catch {
    ok = false; // a Proxy
  }
  if (!ok) badArgument<ModelErrorCode>(fn, ['schema'], 'a zod schema', schema, 'invalid_schema');
}

/**
 * Like {@link safeParseInput} but throws the {@link CarekitValidationError}.
 *
 * @example
 * ```ts
 * const agent = parseInput(Agent, { id: 'a1', name: 'Ana' }, 'agent');
 * agent.tier;
 * //=> 1
 * ```
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'input'): z.output<S> {
  const result = safeParseInput(schema, input, what);
  if (!result.success) throw result.error;
  return result.data;
}

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];
const MAX_DEPTH = 64;

/**
 * Finds own keys that could reach an object's prototype (`JSON.parse` creates `__proto__`
 * as an own key). They are refused anywhere in an input, before any schema sees it.
 */
function findForbiddenKeys(input: unknown): CarekitIssue[] {
  const issues: CarekitIssue[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  let visited = 0;
  while (stack.length > 0 && visited < 100_000 && issues.length < 20) {
    const { value, path } = stack.pop()!;
    visited++;
    if (value === null || typeof value !== 'object' || path.length > MAX_DEPTH) continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        stack.push({ value: item, path: [...path, index] });
      });
      continue;
    }
    for (const key of FORBIDDEN_KEYS) {
      if (Object.hasOwn(value, key)) {
        issues.push({
          code: 'forbidden_key',
          path: [...path, key],
          message: `${formatPath([...path, key])}: the key ${JSON.stringify(key)} is not allowed (it could change an object's prototype)`,
        });
      }
    }
    for (const key of Object.keys(value)) {
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return issues;
}

const KNOWN_TYPES = new Set<string>(TICKET_EVENT_TYPES);

function checkEventType(input: unknown): CarekitIssue[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return [
      {
        code: 'invalid_type',
        path: [],
        message: `(root): expected an event object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`,
      },
    ];
  }
  const type = Object.hasOwn(input, 'type') ? (input as { type: unknown }).type : undefined;
  if (type === undefined) {
    return [{ code: 'required', path: ['type'], message: 'type: is required (one of the event types)' }];
  }
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 60)) : typeof type;
    return [
      {
        code: 'unknown_event_type',
        path: ['type'],
        message: `type: ${shown} is not an event type; expected one of ${TICKET_EVENT_TYPES.join(', ')}`,
      },
    ];
  }
  return [];
}

/**
 * Validates an event from outside (a webhook, a queue, a log line) and normalises `at` to epoch ms.
 *
 * @throws {@link CarekitValidationError} listing every problem, each with `code`, `path` and `message`.
 * @example
 * ```ts
 * const event = parseTicketEvent({
 *   type: 'customer.replied', id: 'e2', ticketId: 't1',
 *   at: '2025-03-10T09:00:00-04:00', body: 'Any news on my order?',
 * });
 * event.at;
 * //=> 1741611600000
 * ```
 */
export function parseTicketEvent(input: unknown): TicketEvent {
  const result = safeParseTicketEvent(input);
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * Like {@link parseTicketEvent} but returns `{ success, data | error }` instead of throwing.
 *
 * @example
 * ```ts
 * const result = safeParseTicketEvent({ type: 'ticket.reopened', id: 'e1', ticketId: 't1', at: 0 });
 * result.success || result.error.issues[0].code;
 * //=> 'unknown_event_type'
 * ```
 */
export function safeParseTicketEvent(input: unknown): ParseResult<TicketEvent> {
  // The common shapes, certainly valid, are checked by hand (equal to the schema's result, a
  // property holds it); anything else, and every error, comes from the schema.
  const fast = fastTicketEvent(input);
  if (fast !== undefined) return { success: true, data: fast };
  return safeParseInput(TicketEvent, input, 'ticket event', checkEventType);
}

/**
 * Validates an order event from a shop or marketplace (delayed shipment, detected problem,
 * delivery, a new order) and normalises its instants to epoch ms.
 *
 * @throws {@link CarekitValidationError} listing every problem.
 * @example
 * ```ts
 * parseOrderEvent({ type: 'order.shipment_delayed', id: 'o1', orderId: '4411', at: 0, customer: { id: 'c1' } }).type;
 * //=> 'order.shipment_delayed'
 * ```
 */
export function parseOrderEvent(input: unknown): OrderEvent {
  return parseInput(OrderEvent, input, 'order event');
}

/**
 * The JSON Schema (draft 2020-12) of an event as a producer writes it (`at` as string or number),
 * for integrators in other languages. Rules that JSON Schema cannot state (a real IANA zone,
 * the score range per survey kind) are checked by {@link parseTicketEvent} only.
 *
 * @example
 * ```ts
 * import Ajv2020 from 'ajv/dist/2020';
 * const validate = new Ajv2020().compile(ticketEventJsonSchema);
 * validate({ type: 'clock.tick', id: 'e9', ticketId: 't1', at: 0 });
 * //=> true
 * ```
 */
export const ticketEventJsonSchema: Record<string, unknown> = /* @__PURE__ */ z.toJSONSchema(TicketEvent, {
  io: 'input',
  target: 'draft-2020-12',
  unrepresentable: 'any',
}) as Record<string, unknown>;
