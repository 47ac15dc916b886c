import { z } from 'zod';

/** Longest identifier carekit accepts (ids come from other systems: UUIDs, URLs, composite keys). */
export const MAX_ID_LENGTH = 256;
/** Longest message body carekit accepts, in UTF-16 code units (about 200 KB of text). */
export const MAX_BODY_LENGTH = 200_000;
/** Longest subject, from RFC 5322's line limit. */
export const MAX_SUBJECT_LENGTH = 998;
/** Longest free-text field that is not a body (names, reasons, comments). */
export const MAX_TEXT_LENGTH = 10_000;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A non-empty identifier of at most 256 characters. */
export const Id = z.string().min(1).max(MAX_ID_LENGTH);
export type Id = z.infer<typeof Id>;

/** Short free text (a name, a reason, a comment). */
export const Text = z.string().max(MAX_TEXT_LENGTH);

/** A tag or skill: a non-empty label without surrounding spaces. */
export const Label = z
  .string()
  .min(1)
  .max(100)
  .refine((s) => s.trim() === s, {
    message: 'must not start or end with spaces',
    params: { code: 'invalid_label' },
  });

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
// ±8.64e15 ms is the range a JavaScript Date can hold.
const MAX_EPOCH_MS = 8.64e15;

function isRealDateTime(value: string): boolean {
  const [y, mo, d, h, mi, s] = [0, 5, 8, 11, 14, 17].map((at) =>
    Number(value.slice(at, at + (at === 0 ? 4 : 2))),
  );
  if (mo === undefined || d === undefined || h === undefined || mi === undefined || y === undefined)
    return false;
  // Date.parse rolls 2025-02-30 over into March; a real calendar date is required here.
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const second = value[16] === ':' ? (s ?? 0) : 0;
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth &&
    h <= 23 &&
    mi <= 59 &&
    second <= 59 &&
    !Number.isNaN(Date.parse(value))
  );
}

/**
 * An instant as it arrives from outside: an ISO 8601 date-time with an offset
 * (`2025-03-10T09:00:00-04:00`, `2025-03-10T13:00:00Z`) or epoch milliseconds.
 * Parsing normalises it to epoch milliseconds. A date-time without an offset is refused,
 * because it does not name an instant.
 */
export const Instant = z
  .union([
    z
      .string()
      .max(64)
      .refine((s) => ISO_WITH_OFFSET.test(s), {
        abort: true,
        message:
          'expected an ISO 8601 date-time with an offset, like 2025-03-10T09:00:00Z or 2025-03-10T09:00:00-04:00',
        params: { code: 'invalid_instant' },
      })
      .refine(isRealDateTime, {
        message: 'is not a real date-time',
        params: { code: 'invalid_instant' },
      })
      .meta({ format: 'date-time', pattern: ISO_WITH_OFFSET.source }),
    z.number().int().min(-MAX_EPOCH_MS).max(MAX_EPOCH_MS),
  ])
  .transform((value) => (typeof value === 'number' ? value : Date.parse(value)));
/** Epoch milliseconds, after parsing. */
export type Instant = z.output<typeof Instant>;

/** A JSON value (what `meta` may hold). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const JsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string().max(MAX_BODY_LENGTH),
    z
      .number()
      .refine(Number.isFinite, { message: 'must be a finite number' })
      // JSON has no negative zero; normalising it keeps parse → JSON → parse exact.
      .transform((n) => (Object.is(n, -0) ? 0 : n)),
    z.boolean(),
    z.null(),
    z.array(JsonValue).max(10_000),
    z.record(z.string(), JsonValue).superRefine(refuseForbiddenKeys),
  ]),
);

function refuseForbiddenKeys(
  value: Record<string, unknown>,
  ctx: z.core.$RefinementCtx<Record<string, unknown>>,
) {
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `key ${JSON.stringify(key)} is not allowed (it could change an object's prototype)`,
        params: { code: 'forbidden_key' },
      });
    }
  }
}

/** Free-form data an integrator attaches to a record; carekit carries it and never reads it. */
export const Meta = z.record(z.string().max(200), JsonValue).superRefine(refuseForbiddenKeys);
export type Meta = z.infer<typeof Meta>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name such as `America/Sao_Paulo` or `UTC`. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, {
    message: 'is not an IANA time zone name (like "Europe/Berlin" or "UTC")',
    params: { code: 'invalid_time_zone' },
  });
export type TimeZone = z.infer<typeof TimeZone>;

function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** A BCP 47 language tag such as `en`, `pt-BR` or `vi`. */
export const Locale = z
  .string()
  .min(2)
  .max(35)
  .refine(isLocale, {
    message: 'is not a BCP 47 language tag (like "en", "pt-BR" or "vi")',
    params: { code: 'invalid_locale' },
  });
export type Locale = z.infer<typeof Locale>;
