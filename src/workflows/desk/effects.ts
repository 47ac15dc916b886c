import { z } from 'zod';
import {
  type CarekitIssue,
  Channel,
  Id,
  Locale,
  MAX_BODY_LENGTH,
  MAX_SUBJECT_LENGTH,
  type ParseResult,
  SurveyKind,
  safeParseInput,
} from '../../model/index.js';
import { effectBase, TicketEffect } from '../ticket/effects.js';

/** A message rendered from a template, for the host to send. */
export const SendMessageEffect = z
  .strictObject({
    type: z.literal('send_message'),
    ...effectBase,
    /** Unique and stable; a message rendered for a `send_template` or `request_survey` effect keeps that effect's id. */
    id: effectBase.id,
    templateId: Id,
    customerId: Id,
    channel: Channel,
    /** The locale of the template version that rendered (after fallback), or null. */
    locale: Locale.nullable(),
    /** The message as plain text (for chat and SMS, and the text part of an email). */
    text: z.string().max(MAX_BODY_LENGTH),
    /** The HTML body of an email, when the template renders HTML. */
    html: z.string().max(MAX_BODY_LENGTH).exactOptional(),
    subject: z.string().max(MAX_SUBJECT_LENGTH).exactOptional(),
    /** Template variables that had no value (the message was still rendered). */
    missing: z.array(z.string().max(MAX_BODY_LENGTH)).max(10_000).readonly(),
    /** The message is the bot's answer (or its hand-over notice), logged as a reply with `bot: true`. */
    bot: z.literal(true).exactOptional(),
    /** The survey this message asks for, when it renders a `request_survey` effect. */
    survey: z.strictObject({ kind: SurveyKind, reminder: z.boolean() }).readonly().exactOptional(),
  })
  .readonly();
/** A message rendered from a template, for the host to send. */
export type SendMessageEffect = z.infer<typeof SendMessageEffect>;

/**
 * What the host performs after a desk call: the lifecycle's effects
 * ({@link TicketEffect}) and rendered messages ({@link SendMessageEffect}). The schema is the source
 * of the type; {@link parseEffect} validates one read back from an outbox.
 */
export const DeskEffect = z.discriminatedUnion('type', [...TicketEffect.options, SendMessageEffect]);
/** What the host performs after a desk call: the lifecycle's effects and rendered messages. */
export type DeskEffect = z.infer<typeof DeskEffect>;

/** The effect types, in the order of the schema. */
export const EFFECT_TYPES: readonly DeskEffect['type'][] = DeskEffect.options.map(
  (option) => option.def.innerType.shape.type.value,
);

const KNOWN_EFFECT_TYPES = new Set<string>(EFFECT_TYPES);

function checkEffectType(input: unknown): CarekitIssue[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return [
      {
        code: 'invalid_type',
        path: [],
        message: `(root): expected an effect object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`,
      },
    ];
  }
  const type = Object.hasOwn(input, 'type') ? (input as { type: unknown }).type : undefined;
  if (type === undefined) {
    return [{ code: 'required', path: ['type'], message: 'type: is required (one of the effect types)' }];
  }
  if (typeof type !== 'string' || !KNOWN_EFFECT_TYPES.has(type)) {
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 60)) : typeof type;
    return [
      {
        code: 'unknown_effect_type',
        path: ['type'],
        message: `type: ${shown} is not an effect type; expected one of ${EFFECT_TYPES.join(', ')}`,
      },
    ];
  }
  return [];
}

/**
 * Validates an effect read back from an outbox (or received from another process) against the
 * schema of its type: a worker performs only what it can name. Unknown keys, a misspelt type and
 * out-of-range values are refused; nothing is coerced.
 *
 * @throws {@link "carekit/model"!CarekitValidationError} listing every problem, each with `code`, `path` and `message`.
 * @example
 * ```ts
 * const effect = parseEffect({
 *   type: 'route', id: 't1/e1/route/0', ticketId: 't1', at: 0, causedBy: 'e1',
 *   tier: 1, queue: null, reason: 'new ticket',
 * });
 * effect.type;
 * //=> 'route'
 * ```
 */
export function parseEffect(input: unknown): DeskEffect {
  const result = safeParseEffect(input);
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * Like {@link parseEffect} but returns `{ success, data | error }` instead of throwing.
 *
 * @example
 * ```ts
 * const result = safeParseEffect({
 *   type: 'send_templat', id: 't1/e1/send_template/0', ticketId: 't1', at: 0, causedBy: 'e1',
 *   templateId: 'ack', customerId: 'c1', channel: 'email',
 * });
 * result.success || result.error.issues.map((issue) => [issue.code, issue.path]);
 * //=> [['unknown_effect_type', ['type']]]
 * ```
 */
export function safeParseEffect(input: unknown): ParseResult<DeskEffect> {
  return safeParseInput(DeskEffect, input, 'effect', checkEffectType);
}
