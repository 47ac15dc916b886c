import { z } from 'zod';
import { CarekitArgumentError } from './arguments.js';
import type { ModelErrorCode } from './errors.js';
import { type CarekitIssue, CarekitValidationError, toCarekitIssues } from './errors.js';
import { Id, Label, MAX_TEXT_LENGTH } from './primitives.js';

/** A field id: a lowercase identifier (`order_id`, `refund_amount`), at most 64 characters. */
export const FieldId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, {
    message: 'must be a lowercase identifier: a letter, then letters, digits or _ (at most 64)',
  })
  .refine((s) => !['__proto__', 'constructor', 'prototype'].includes(s), {
    message: 'is a reserved name',
    params: { code: 'reserved_name' },
  });

const common = {
  /** Stable id used by events, rules and templates. */
  id: FieldId,
  /** What a person reads in a form or a review document. */
  label: z.string().min(1).max(200),
  /** Solving the ticket is refused while this field is empty. Default false. */
  requiredToSolve: z.boolean().optional(),
};

const Options = z.array(Label).min(1).max(1000);

/** The definition of one ticket field, discriminated by `type`. */
export const FieldDefinition = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('text'),
    ...common,
    maxLength: z.number().int().min(1).max(MAX_TEXT_LENGTH).optional(),
  }),
  z.strictObject({
    type: z.literal('number'),
    ...common,
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('boolean'), ...common }),
  /** A calendar date, `YYYY-MM-DD` (a delivery date, a warranty end). */
  z.strictObject({ type: z.literal('date'), ...common }),
  z.strictObject({ type: z.literal('one_of'), ...common, options: Options }),
  z.strictObject({ type: z.literal('many_of'), ...common, options: Options }),
  /** A user id (an agent, a supplier contact). */
  z.strictObject({ type: z.literal('user'), ...common }),
]);
export type FieldDefinition = z.output<typeof FieldDefinition>;
/** A field definition as written (lists may be readonly, as with `as const`). */
export type FieldDefinitionInput =
  z.input<typeof FieldDefinition> extends infer D
    ? D extends unknown
      ? { readonly [K in keyof D]: D[K] extends (infer U)[] ? readonly U[] : D[K] }
      : never
    : never;
/** The kind of a ticket field. */
export type FieldType = FieldDefinition['type'];

/** A field's value as stored in a snapshot: plain JSON. */
export type FieldValue = string | number | boolean | readonly string[];
/** The value in a `ticket.fields_set` event: a value, or `null` to clear the field. */
export const FieldValueInput = z.union([
  z.string().max(MAX_TEXT_LENGTH),
  z.number(),
  z.boolean(),
  z.array(Label).max(1000),
  z.null(),
]);

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The zod schema of one field's value (not null). */
function valueSchema(field: FieldDefinition): z.ZodType<FieldValue> {
  switch (field.type) {
    case 'text':
      return z.string().max(field.maxLength ?? MAX_TEXT_LENGTH);
    case 'number': {
      let n = z.number().finite();
      if (field.integer === true) n = n.int();
      if (field.min !== undefined) n = n.min(field.min);
      if (field.max !== undefined) n = n.max(field.max);
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.string().refine((s) => DATE.test(s) && isRealDate(s), {
        message: 'must be a date written YYYY-MM-DD',
        params: { code: 'invalid_date' },
      });
    case 'one_of':
      return z.enum(field.options as [string, ...string[]]);
    case 'many_of':
      return z
        .array(z.enum(field.options as [string, ...string[]]))
        .refine((a) => new Set(a).size === a.length, {
          message: 'must not repeat an option',
          params: { code: 'duplicate_option' },
        });
    case 'user':
      return Id;
  }
}

/** The value type of one field definition: `'late' | 'broken'` for a one-of with those options. */
export type FieldValueOf<D> = D extends { readonly type: 'text' | 'date' | 'user' }
  ? string
  : D extends { readonly type: 'number' }
    ? number
    : D extends { readonly type: 'boolean' }
      ? boolean
      : D extends { readonly type: 'one_of'; readonly options: readonly (infer O)[] }
        ? O
        : D extends { readonly type: 'many_of'; readonly options: readonly (infer O)[] }
          ? readonly O[]
          : FieldValue;

/** The values of a field schema, typed from its definitions: `{ order_id?: string; reason?: 'late' | 'broken' }`. */
export type FieldValues<S extends readonly FieldDefinitionInput[]> = {
  -readonly [D in S[number] as D['id']]?: FieldValueOf<D>;
};
/** A partial update of a field schema's values: a value, or `null` to clear. */
export type FieldUpdate<S extends readonly FieldDefinitionInput[]> = {
  [D in S[number] as D['id']]?: FieldValueOf<D> | null;
};

/** A validated set of ticket fields (from {@link defineFields}). */
export interface TicketFields<S extends readonly FieldDefinitionInput[] = readonly FieldDefinitionInput[]> {
  /** The definitions, in the order given, with defaults applied. */
  readonly definitions: readonly FieldDefinition[];
  /** Looks a definition up by id. */
  byId(id: string): FieldDefinition | undefined;
  /**
   * Checks a partial update (`{ id: value | null }`): every problem with a `code` (`unknown_field`,
   * `invalid_type`, `invalid_value`, ...), the `path` `['fields', id]` and a sentence. Empty when valid.
   */
  check(update: Readonly<Record<string, unknown>>): CarekitIssue[];
  /** The ids of `requiredToSolve` fields that are empty in `values`, in definition order. */
  missingToSolve(values: Readonly<Record<string, FieldValue>>): string[];
  /** Type-only: the values this schema admits. */
  readonly $values?: FieldValues<S>;
}

const FieldDefinitionList = z.array(FieldDefinition).max(500);

/**
 * Declares a desk's ticket fields (text, number, boolean, date, one-of, many-of, user id), each
 * with an id, a label and optionally `requiredToSolve`. The definitions are validated with zod;
 * the result checks `ticket.fields_set` updates and tells which required fields are empty.
 * Passing the schema `as const` (or inline) types the values.
 *
 * @throws {@link CarekitValidationError} for a malformed definition or a repeated id (`duplicate_id`).
 * @example
 * ```ts
 * const fields = defineFields([
 *   { id: 'order_id', type: 'text', label: 'Order number', requiredToSolve: true },
 *   { id: 'reason', type: 'one_of', label: 'Return reason', options: ['late', 'broken'] },
 * ]);
 * fields.check({ reason: 'lost' })[0]?.code;
 * //=> 'invalid_value'
 * fields.missingToSolve({ reason: 'late' });
 * //=> ['order_id']
 * ```
 */
export function defineFields<const S extends readonly FieldDefinitionInput[]>(schema: S): TicketFields<S> {
  let parsed: ReturnType<typeof FieldDefinitionList.safeParse>;
  try {
    parsed = FieldDefinitionList.safeParse(schema);
  } catch (cause) {
    // A Proxy or a getter that throws: a bad input, not a crash.
    throw new CarekitArgumentError<ModelErrorCode>(
      'unreadable_input',
      [],
      `the ticket fields could not be read (${cause instanceof Error ? cause.message.slice(0, 200) : 'it threw'})`,
    );
  }
  if (!parsed.success)
    throw new CarekitValidationError(toCarekitIssues(parsed.error.issues, schema), 'ticket fields');
  const definitions = parsed.data;
  const issues: CarekitIssue[] = [];
  const byId = new Map<string, FieldDefinition>();
  definitions.forEach((field, i) => {
    if (byId.has(field.id)) {
      issues.push({
        code: 'duplicate_id',
        path: [i, 'id'],
        message: `[${i}].id: the field id "${field.id}" is used twice`,
      });
    }
    byId.set(field.id, field);
    if (
      field.type === 'number' &&
      field.min !== undefined &&
      field.max !== undefined &&
      field.min > field.max
    ) {
      issues.push({
        code: 'invalid_range',
        path: [i, 'min'],
        message: `[${i}].min: ${field.min} is above max ${field.max}`,
      });
    }
    if (
      (field.type === 'one_of' || field.type === 'many_of') &&
      new Set(field.options).size !== field.options.length
    ) {
      issues.push({
        code: 'duplicate_option',
        path: [i, 'options'],
        message: `[${i}].options: an option is listed twice`,
      });
    }
  });
  if (issues.length > 0) throw new CarekitValidationError(issues, 'ticket fields');
  const schemas = new Map(definitions.map((f) => [f.id, valueSchema(f)]));
  const known = definitions.map((f) => f.id).join(', ') || '(none)';
  return {
    definitions,
    byId: (id) => byId.get(id),
    check(update) {
      const out: CarekitIssue[] = [];
      for (const [id, value] of Object.entries(update)) {
        const valid = schemas.get(id);
        if (valid === undefined) {
          out.push({
            code: 'unknown_field',
            path: ['fields', id],
            message: `fields.${id}: is not a ticket field; the fields are ${known}`,
          });
          continue;
        }
        if (value === null) continue;
        const result = valid.safeParse(value);
        if (!result.success) {
          const field = byId.get(id)!;
          for (const issue of toCarekitIssues(result.error.issues, value)) {
            const path = ['fields', id, ...issue.path];
            const text = issue.message.replace(/^\(root\)/, '').replace(/^[^:]*: /, '');
            out.push({
              code: issue.code,
              path,
              message: `fields.${id}${issue.path.length > 0 ? issue.path.map((p) => `[${p}]`).join('') : ''} (${field.type}): ${text}`,
            });
          }
        }
      }
      return out;
    },
    missingToSolve(values) {
      return definitions
        .filter(
          (f) =>
            f.requiredToSolve === true && isEmpty(Object.hasOwn(values, f.id) ? values[f.id] : undefined),
        )
        .map((f) => f.id);
    },
  };
}

function isEmpty(value: FieldValue | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}
