import type { Locale as DateFnsLocale } from 'date-fns';
import { z } from 'zod';
import { checkString } from '../model/arguments.js';
import { Channel } from '../model/enums.js';
import { CarekitError, type CarekitIssue, CarekitValidationError } from '../model/errors.js';
import { parseInput } from '../model/parse.js';
import { Locale } from '../model/primitives.js';
import type { Condition, Expression, FilterCall, PathExpression, TemplateAst, TemplateNode } from './ast.js';
import {
  type CompiledTemplate,
  compileTemplate,
  type TemplateLimits,
  type TemplateWarning,
} from './compileTemplate.js';
import type { TemplateErrorCode } from './errors.js';
import { TemplateSyntaxError } from './errors.js';
import type { TemplateFilter } from './filters.js';
import {
  type ChannelLimit,
  DEFAULT_CHANNEL_LIMITS,
  formatForChannel,
  type SmsLength,
  toPlainText,
} from './formatForChannel.js';
import { lintTemplate, type TemplateLintIssue } from './lintTemplate.js';
import { checkOptions, TemplateLimitsSchema } from './options.js';
import { checkAst, pathText } from './printTemplate.js';
import { escapeHtml } from './values.js';

const isZodSchema = (value: unknown): value is z.ZodType =>
  typeof value === 'object' &&
  value !== null &&
  '_zod' in value &&
  typeof (value as z.ZodType).safeParse === 'function';

const LocaleEntry = z.strictObject({
  /** An email subject (a template too), rendered on the email channel. */
  subject: z.string().optional(),
  variants: z.array(z.string()).min(1, 'a locale needs at least one variant'),
});

/** One entry of a template library, as written by its authors. */
export const TemplateEntry = z.strictObject({
  id: z.string().min(1).max(200),
  purpose: z.string().min(1),
  channels: z.array(Channel).min(1),
  /** `text` (default): plain text everywhere, turned into simple HTML for email. `html`: HTML for email, escaped outputs. */
  format: z.enum(['text', 'html']).default('text'),
  locales: z.record(Locale, LocaleEntry),
  /** A zod schema of the variables the entry may use, for `lintTemplate`. */
  schema: z.custom<z.ZodType>(isZodSchema, 'expected a zod schema').optional(),
});
/** One entry of a template library (input form). */
export type TemplateEntryInput = z.input<typeof TemplateEntry>;
/** One entry of a template library (validated). */
export type TemplateEntry = z.output<typeof TemplateEntry>;

/** Options of {@link createTemplateLibrary}. */
export interface TemplateLibraryOptions {
  /** The locale every entry must have, used when nothing closer exists. Default `en`. */
  readonly defaultLocale?: string;
  readonly filters?: Readonly<Record<string, TemplateFilter>>;
  readonly limits?: TemplateLimits;
  /** date-fns locales for month and day names, by locale (`{ es, vi }` from `date-fns/locale`). */
  readonly dateLocales?: Readonly<Record<string, DateFnsLocale>>;
  readonly channelLimits?: Readonly<Partial<Record<Channel, ChannelLimit>>>;
  /** Variants pinned per template id: every customer sees this variant. */
  readonly pinned?: Readonly<Record<string, number>>;
  /** Snippets every entry may `{% render %}`, by name (Liquid source). */
  readonly partials?: Readonly<Record<string, string>>;
}

const LibraryOptionsSchema = z.strictObject({
  defaultLocale: z.string().optional(),
  filters: z
    .record(
      z.string(),
      z.custom<TemplateFilter>((value) => typeof value === 'function', 'expected a function'),
    )
    .optional(),
  limits: TemplateLimitsSchema.optional(),
  dateLocales: z
    .record(
      z.string(),
      z.custom<DateFnsLocale>(
        (value) => typeof value === 'object' && value !== null,
        'expected a date-fns locale',
      ),
    )
    .optional(),
  channelLimits: z
    .partialRecord(
      Channel,
      z.strictObject({ max: z.int().positive(), overflow: z.enum(['warn', 'truncate']) }),
    )
    .optional(),
  pinned: z.record(z.string(), z.number()).optional(),
  partials: z.record(z.string(), z.string()).optional(),
});

const LIBRARY_RENDER_OPTION_TYPES: Record<string, string> = {
  channel: 'string',
  locale: 'string',
  customerId: 'string',
  ticketId: 'string',
  variant: 'number',
  strict: 'boolean',
  timeZone: 'string',
  currency: 'string',
};

/** The shape of `library.render`'s options, checked by hand on the hot path. */
function checkLibraryRenderOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CarekitValidationError(
      [
        {
          code: 'invalid_type',
          path: [],
          message: '(root): the render options must be an object with a `channel`',
        },
      ],
      'render options',
    );
  }
  const allowed = Object.keys(LIBRARY_RENDER_OPTION_TYPES);
  for (const key of Object.keys(options)) {
    const type = LIBRARY_RENDER_OPTION_TYPES[key];
    const value = (options as Record<string, unknown>)[key];
    if (type === undefined) {
      throw new CarekitValidationError(
        [
          {
            code: 'unrecognized_keys',
            path: [key],
            message: `${key}: is not an option; the options are ${allowed.join(', ')}`,
          },
        ],
        'render options',
      );
    }
    if (value !== undefined && typeof value !== type) {
      throw new CarekitValidationError(
        [{ code: 'invalid_type', path: [key], message: `${key}: expected a ${type}, got ${typeof value}` }],
        'render options',
      );
    }
  }
}

/**
 * An email subject made safe for a mail header: line breaks and tabs become one space, other
 * control characters (C0, DEL, C1, and the Unicode line and paragraph separators) are removed,
 * so data cannot add a header (`Bcc:`) or break the subject line. `library.render` applies it to
 * every subject.
 *
 * @example
 * ```ts
 * sanitizeSubject('Order 42\r\nBcc: someone@example.com');
 * //=> 'Order 42 Bcc: someone@example.com'
 * ```
 */
export function sanitizeSubject(subject: string): string {
  checkString(subject, 'sanitizeSubject', ['subject'], Number.POSITIVE_INFINITY);
  return (
    subject
      .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      .trim()
  );
}

/** Options of one `library.render`. */
export interface LibraryRenderOptions {
  readonly channel: Channel;
  /** The customer's locale (`pt-BR` falls back to `pt`, then the library default). */
  readonly locale?: string;
  /** With `ticketId`, picks the variant: stable per (template, customer, ticket). */
  readonly customerId?: string;
  readonly ticketId?: string;
  /** Pins a variant for this render (0-based). */
  readonly variant?: number;
  readonly strict?: boolean;
  /** The customer's time zone for `date`. Default UTC. */
  readonly timeZone?: string;
  readonly currency?: string;
}

/** A rendered library entry, ready to send. */
export interface RenderedMessage {
  readonly templateId: string;
  readonly locale: string;
  readonly variant: number;
  readonly channel: Channel;
  /** What to send: HTML for email, text for the other channels (after the channel's length rule). */
  readonly output: string;
  /** The plain text (for email, the text part of the message). */
  readonly text: string;
  readonly html?: string;
  readonly subject?: string;
  readonly missing: readonly string[];
  readonly defaulted: readonly string[];
  readonly warnings: readonly TemplateWarning[];
  readonly truncated: boolean;
  readonly sms?: SmsLength;
}

/** One entry as the catalogue shows it (for review documents). */
export interface TemplateCatalogueEntry {
  readonly id: string;
  readonly purpose: string;
  readonly channels: readonly Channel[];
  readonly format: 'text' | 'html';
  readonly locales: readonly { readonly locale: string; readonly variants: number }[];
  /** The variable paths the entry's templates read, sorted. */
  readonly variables: readonly string[];
}

/** A set of response templates with locales, variants and channel rules. */
export interface TemplateLibrary {
  readonly defaultLocale: string;
  /** Renders an entry for a customer on a channel. */
  render(id: string, context: unknown, options: LibraryRenderOptions): RenderedMessage;
  /** Whether an entry exists. */
  has(id: string): boolean;
  /** The locale an entry renders in for a requested locale. */
  resolveLocale(id: string, locale?: string): string;
  /** The variant index chosen for (template, customer, ticket). */
  variantFor(id: string, customerId?: string, ticketId?: string): number;
  /** Every entry with its locales, variants and variables. */
  catalogue(): readonly TemplateCatalogueEntry[];
  /** Lints every variant of every entry that has a schema. */
  lint(): readonly (TemplateLintIssue & {
    readonly templateId: string;
    readonly locale: string;
    readonly variant: number;
  })[];
}

/**
 * FNV-1a, 32 bits: a small stable hash for the variant choice.
 *
 * @example
 * ```ts
 * fnv1a('hello');
 * //=> 1335831723
 * ```
 */
export function fnv1a(text: string): number {
  checkString(text, 'fnv1a', ['text'], Number.POSITIVE_INFINITY);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

interface CompiledEntry {
  readonly entry: TemplateEntry;
  readonly locales: Map<string, { subject: string | undefined; variants: string[] }>;
  readonly cache: Map<string, CompiledTemplate>;
}

/**
 * Builds a template library. Every entry is validated and every variant parsed up front, so a
 * broken template fails here with its path (`entries[2].locales.es.variants[1]`), not when a
 * customer is waiting.
 *
 * @throws `CarekitValidationError` (from `carekit/model`) listing every problem (codes `template_syntax`,
 * `unknown_filter`, `duplicate_template_id`, `missing_default_locale`, and schema codes).
 * @example
 * ```ts
 * const library = createTemplateLibrary([
 *   { id: 'ack', purpose: 'acknowledgement', channels: ['chat'],
 *     locales: { en: { variants: ['Hi {{ name }}, got it!', 'Thanks {{ name }}, on it.'] },
 *                pt: { variants: ['Olá {{ name }}, recebemos!'] } } },
 * ]);
 * library.render('ack', { name: 'Rui' }, { channel: 'chat', locale: 'pt-BR' }).output;
 * //=> 'Olá Rui, recebemos!'
 * ```
 */
export function createTemplateLibrary(
  entries: readonly TemplateEntryInput[],
  options: TemplateLibraryOptions = {},
): TemplateLibrary {
  checkOptions(LibraryOptionsSchema, options, 'template library options');
  const parsed = parseInput(z.array(TemplateEntry), entries, 'template library');
  const defaultLocale = parseInput(Locale, options.defaultLocale ?? 'en', 'default locale');
  const issues: CarekitIssue[] = [];
  const byId = new Map<string, CompiledEntry>();
  const compileOptions = {
    ...(options.filters ? { filters: options.filters } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.partials ? { partials: options.partials } : {}),
  };

  parsed.forEach((entry, index) => {
    if (byId.has(entry.id)) {
      issues.push({
        code: 'duplicate_template_id',
        path: [index, 'id'],
        message: `[${index}].id: \`${entry.id}\` is already the id of another entry`,
      });
      return;
    }
    const locales = new Map<string, { subject: string | undefined; variants: string[] }>();
    for (const [locale, content] of Object.entries(entry.locales)) {
      locales.set(locale.toLowerCase(), { subject: content.subject, variants: content.variants });
      const sources: [string | number, string][] = content.variants.map((source, v) => [v, source]);
      if (content.subject !== undefined) sources.push(['subject', content.subject]);
      for (const [key, source] of sources) {
        try {
          compileTemplate(source, compileOptions);
        } catch (error) {
          if (!(error instanceof TemplateSyntaxError)) throw error;
          const path =
            key === 'subject'
              ? [index, 'locales', locale, 'subject']
              : [index, 'locales', locale, 'variants', key];
          issues.push({
            code: error.code,
            path,
            message: `[${index}].locales.${locale}.${key === 'subject' ? 'subject' : `variants[${key}]`}: ${error.reason} at line ${error.line}, column ${error.column}`,
          });
        }
      }
    }
    if (!locales.has(defaultLocale.toLowerCase())) {
      issues.push({
        code: 'missing_default_locale',
        path: [index, 'locales'],
        message: `[${index}].locales: \`${entry.id}\` has no \`${defaultLocale}\` version, the library's default locale`,
      });
    }
    byId.set(entry.id, { entry, locales, cache: new Map() });
  });
  for (const [id, variant] of Object.entries(options.pinned ?? {})) {
    const found = byId.get(id);
    if (!found) {
      issues.push({
        code: 'unknown_template',
        path: ['pinned', id],
        message: `pinned.${id}: there is no template \`${id}\``,
      });
    } else if (
      !Number.isInteger(variant) ||
      variant < 0 ||
      [...found.locales.values()].every((l) => variant >= l.variants.length)
    ) {
      issues.push({
        code: 'invalid_variant',
        path: ['pinned', id],
        message: `pinned.${id}: no locale of \`${id}\` has a variant ${variant}`,
      });
    }
  }
  if (issues.length > 0) throw new CarekitValidationError(issues, 'template library');

  const get = (id: string): CompiledEntry => {
    const found = byId.get(id);
    if (!found)
      throw new CarekitError<TemplateErrorCode>(
        'unknown_template',
        `there is no template \`${id}\` in this library`,
      );
    return found;
  };

  const resolve = (found: CompiledEntry, requested: string | undefined): string => {
    if (requested) {
      const wanted = requested.toLowerCase();
      if (found.locales.has(wanted)) return wanted;
      const language = wanted.split('-')[0] as string;
      if (found.locales.has(language)) return language;
      for (const locale of found.locales.keys()) if (locale.split('-')[0] === language) return locale;
    }
    return defaultLocale.toLowerCase();
  };

  const compiled = (found: CompiledEntry, key: string, source: string, html: boolean): CompiledTemplate => {
    const cacheKey = `${html ? 'h' : 't'}|${key}`;
    let template = found.cache.get(cacheKey);
    if (!template) {
      template = compileTemplate(source, { ...compileOptions, escape: html });
      found.cache.set(cacheKey, template);
    }
    return template;
  };

  const variantFor = (id: string, customerId?: string, ticketId?: string): number => {
    const found = get(id);
    const count = Math.max(...[...found.locales.values()].map((l) => l.variants.length));
    return fnv1a(`${id}\u0000${customerId ?? ''}\u0000${ticketId ?? ''}`) % count;
  };

  return {
    defaultLocale,
    has: (id) => byId.has(id),
    resolveLocale: (id, locale) => resolve(get(id), locale),
    variantFor,
    render(id, context, renderOptions) {
      checkLibraryRenderOptions(renderOptions);
      const found = get(id);
      const channel = parseInput(Channel, renderOptions.channel, 'channel');
      if (!found.entry.channels.includes(channel)) {
        throw new CarekitError<TemplateErrorCode>(
          'template_channel',
          `the template \`${id}\` is for ${found.entry.channels.join(', ')}, not ${channel}`,
        );
      }
      const locale = resolve(found, renderOptions.locale);
      const content = found.locales.get(locale) as { subject: string | undefined; variants: string[] };
      const pinned = renderOptions.variant ?? options.pinned?.[id];
      const chosen = pinned ?? variantFor(id, renderOptions.customerId, renderOptions.ticketId);
      if (!Number.isInteger(chosen) || chosen < 0) {
        throw new CarekitError<TemplateErrorCode>(
          'invalid_variant',
          `variant ${chosen} of \`${id}\` does not exist`,
        );
      }
      const variant = chosen % content.variants.length;
      const html = channel === 'email' && found.entry.format === 'html';
      const dateLocale =
        options.dateLocales?.[locale] ?? options.dateLocales?.[locale.split('-')[0] as string];
      const env = {
        locale,
        ...(renderOptions.strict !== undefined ? { strict: renderOptions.strict } : {}),
        ...(renderOptions.timeZone ? { timeZone: renderOptions.timeZone } : {}),
        ...(renderOptions.currency ? { currency: renderOptions.currency } : {}),
        ...(dateLocale ? { dateLocale } : {}),
      };
      const body = compiled(found, `${locale}|${variant}`, content.variants[variant] as string, html).render(
        context,
        env,
      );
      const subject =
        content.subject !== undefined && channel === 'email'
          ? compiled(found, `${locale}|subject`, content.subject, false).render(context, env)
          : undefined;
      const missing = [...new Set([...(subject?.missing ?? []), ...body.missing])];
      const defaulted = [...new Set([...(subject?.defaulted ?? []), ...body.defaulted])];
      const warnings = [...(subject?.warnings ?? []), ...body.warnings];
      const base = {
        templateId: id,
        locale,
        variant,
        channel,
        missing,
        defaulted,
        ...(subject ? { subject: sanitizeSubject(subject.output) } : {}),
      };
      if (channel === 'email') {
        const htmlOutput = html ? body.output : textToHtml(body.output);
        const text = html ? toPlainText(body.output) : body.output;
        return { ...base, output: htmlOutput, html: htmlOutput, text, warnings, truncated: false };
      }
      const fitted = formatForChannel(body.output, channel, options.channelLimits ?? DEFAULT_CHANNEL_LIMITS);
      return {
        ...base,
        output: fitted.text,
        text: fitted.text,
        warnings: [...warnings, ...fitted.warnings],
        truncated: fitted.truncated,
        ...(fitted.sms ? { sms: fitted.sms } : {}),
      };
    },
    catalogue() {
      return [...byId.values()].map(({ entry, locales }) => {
        const variables = new Set<string>();
        for (const content of locales.values()) {
          for (const source of [...content.variants, ...(content.subject ? [content.subject] : [])]) {
            for (const path of templateVariables(compileTemplate(source, compileOptions).ast))
              variables.add(path);
          }
        }
        return {
          id: entry.id,
          purpose: entry.purpose,
          channels: entry.channels,
          format: entry.format,
          locales: Object.entries(entry.locales).map(([locale, content]) => ({
            locale,
            variants: content.variants.length,
          })),
          variables: [...variables].sort(),
        };
      });
    },
    lint() {
      const out: (TemplateLintIssue & { templateId: string; locale: string; variant: number })[] = [];
      for (const { entry } of byId.values()) {
        if (!entry.schema) continue;
        for (const [locale, content] of Object.entries(entry.locales)) {
          content.variants.forEach((source, variant) => {
            const result = lintTemplate(source, entry.schema as z.ZodType, {
              ...(options.filters ? { filters: options.filters } : {}),
              ...(options.partials ? { partials: options.partials } : {}),
            });
            for (const issue of result.issues) out.push({ ...issue, templateId: entry.id, locale, variant });
          });
        }
      }
      return out;
    },
  };
}

/** Plain text as simple HTML: escaped, blank lines as paragraphs, line breaks as `<br />`. */
function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br />\n')}</p>`)
    .join('\n');
}

/**
 * The variable paths a template reads from its context (loop variables resolved to their
 * collection with `[]`), sorted.
 *
 * @example
 * ```ts
 * templateVariables(parseTemplate('{% for i in order.items %}{{ i.sku }}{% endfor %} {{ customer.name }}'));
 * //=> ['customer.name', 'order.items', 'order.items[].sku']
 * ```
 */
export function templateVariables(ast: TemplateAst): string[] {
  checkAst(ast, 'templateVariables');
  const found = new Set<string>();
  const visitPath = (path: PathExpression, scope: ReadonlyMap<string, string>) => {
    if (path.rootKey) {
      visitExpression(path.rootKey, scope);
      return;
    }
    if ((path.root === 'forloop' || path.root === 'tablerowloop') && scope.size > 0) return;
    const base = scope.get(path.root);
    if (base === '') return;
    const text = pathText(path);
    found.add(base === undefined ? text : `${base}[]${text.slice(path.root.length)}`);
    for (const segment of path.segments) if (typeof segment === 'object') visitExpression(segment, scope);
  };
  const visitExpression = (e: Expression, scope: ReadonlyMap<string, string>): void => {
    if (e.kind === 'path') visitPath(e, scope);
    else if (e.kind === 'range') {
      visitExpression(e.from, scope);
      visitExpression(e.to, scope);
    }
  };
  const visitCondition = (c: Condition, scope: ReadonlyMap<string, string>): void => {
    if (c.kind === 'test') visitExpression(c.value, scope);
    else if (c.kind === 'compare') {
      visitExpression(c.left, scope);
      visitExpression(c.right, scope);
    } else if (c.kind === 'not') visitCondition(c.operand, scope);
    else {
      visitCondition(c.left, scope);
      visitCondition(c.right, scope);
    }
  };
  const visitFilters = (filters: readonly FilterCall[], scope: ReadonlyMap<string, string>) => {
    for (const filter of filters) {
      for (const arg of filter.args) visitExpression(arg, scope);
      for (const [, arg] of filter.named) visitExpression(arg, scope);
    }
  };
  const loopScope = (
    variable: string,
    collection: Expression,
    scope: ReadonlyMap<string, string>,
  ): Map<string, string> => {
    const inner = new Map(scope);
    if (collection.kind === 'path' && !collection.rootKey) {
      const base = scope.get(collection.root);
      const text = pathText(collection);
      inner.set(
        variable,
        base === undefined ? text : base === '' ? '' : `${base}[]${text.slice(collection.root.length)}`,
      );
    } else inner.set(variable, '');
    return inner;
  };
  const visit = (nodes: readonly TemplateNode[], scope: ReadonlyMap<string, string>): void => {
    for (const node of nodes) {
      switch (node.kind) {
        case 'output':
        case 'echo':
        case 'assign':
          visitExpression(node.value, scope);
          visitFilters(node.filters, scope);
          break;
        case 'if':
        case 'unless':
          for (const branch of node.branches) {
            visitCondition(branch.condition, scope);
            visit(branch.body, scope);
          }
          if (node.otherwise) visit(node.otherwise, scope);
          break;
        case 'case':
          visitExpression(node.value, scope);
          for (const when of node.whens) {
            for (const value of when.values) visitExpression(value, scope);
            visit(when.body, scope);
          }
          if (node.otherwise) visit(node.otherwise, scope);
          break;
        case 'for':
        case 'tablerow': {
          visitExpression(node.collection, scope);
          if (node.limit) visitExpression(node.limit, scope);
          if (node.offset && node.offset !== 'continue') visitExpression(node.offset, scope);
          if (node.kind === 'tablerow' && node.cols) visitExpression(node.cols, scope);
          visit(node.body, loopScope(node.variable, node.collection, scope));
          if (node.kind === 'for' && node.otherwise) visit(node.otherwise, scope);
          break;
        }
        case 'capture':
        case 'ifchanged':
          visit(node.body, scope);
          break;
        case 'cycle':
          if (node.group) visitExpression(node.group, scope);
          for (const value of node.values) visitExpression(value, scope);
          break;
        case 'render':
          if (node.value) visitExpression(node.value, scope);
          for (const [, value] of node.args) visitExpression(value, scope);
          break;
        default:
          break;
      }
    }
  };
  // Names the template assigns itself are not read from the context.
  const own = new Map<string, string>();
  const collect = (nodes: readonly TemplateNode[]): void => {
    for (const node of nodes) {
      if (node.kind === 'assign' || node.kind === 'increment' || node.kind === 'decrement')
        own.set(node.name, '');
      else if (node.kind === 'capture') {
        own.set(node.name, '');
        collect(node.body);
      } else if (node.kind === 'if' || node.kind === 'unless') {
        for (const branch of node.branches) collect(branch.body);
        if (node.otherwise) collect(node.otherwise);
      } else if (node.kind === 'case') {
        for (const when of node.whens) collect(when.body);
        if (node.otherwise) collect(node.otherwise);
      } else if (node.kind === 'for') {
        collect(node.body);
        if (node.otherwise) collect(node.otherwise);
      } else if (node.kind === 'tablerow' || node.kind === 'ifchanged') collect(node.body);
    }
  };
  collect(ast.body);
  visit(ast.body, own);
  return [...found].sort();
}
