import type { Channel } from '../model/enums.js';
import type { TemplateWarning } from './compileTemplate.js';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const gsmBasic = new Set(GSM_BASIC);
const gsmExtended = new Set(GSM_EXTENDED);

/** How an SMS is encoded and how many parts it takes. */
export interface SmsLength {
  /** GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2. */
  readonly encoding: 'gsm7' | 'ucs2';
  /** Length in the encoding's units (GSM extension characters count twice; UCS-2 counts UTF-16 units). */
  readonly units: number;
  /** Parts sent: one up to 160 GSM-7 units / 70 UCS-2 units, else 153 / 67 per part. */
  readonly segments: number;
}

/**
 * Measures an SMS the way carriers bill it: GSM-7 (160 per part, 153 when split) or UCS-2 (70,
 * 67 when split) as soon as one character is outside the GSM alphabet (Vietnamese, emoji...).
 *
 * @example
 * ```ts
 * smsLength('Your order shipped');
 * //=> { encoding: 'gsm7', units: 18, segments: 1 }
 * smsLength('Đơn hàng của bạn đã được gửi');
 * //=> { encoding: 'ucs2', units: 28, segments: 1 }
 * ```
 */
export function smsLength(text: string): SmsLength {
  let units = 0;
  let gsm = true;
  for (const ch of text) {
    if (gsmBasic.has(ch)) units += 1;
    else if (gsmExtended.has(ch)) units += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (!gsm) {
    const length = text.length;
    return { encoding: 'ucs2', units: length, segments: length <= 70 ? 1 : Math.ceil(length / 67) };
  }
  return { encoding: 'gsm7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
}

/** A channel's length rule. */
export interface ChannelLimit {
  /** SMS: most parts allowed. Others: most characters (code points). */
  readonly max: number;
  /** `warn` keeps the text and warns; `truncate` cuts it at a word boundary and ends it with `…`. */
  readonly overflow: 'warn' | 'truncate';
}

/** Default length rules: SMS 3 parts, social 280 characters, chat 4,096, marketplace 2,000. */
export const DEFAULT_CHANNEL_LIMITS: Readonly<Partial<Record<Channel, ChannelLimit>>> = {
  sms: { max: 3, overflow: 'warn' },
  social: { max: 280, overflow: 'truncate' },
  chat: { max: 4096, overflow: 'warn' },
  marketplace: { max: 2000, overflow: 'warn' },
};

/** A text made fit for its channel. */
export interface ChannelText {
  readonly text: string;
  readonly truncated: boolean;
  readonly warnings: readonly TemplateWarning[];
  /** For SMS: the encoding and parts. */
  readonly sms?: SmsLength;
}

function cutAtWord(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  const head = points.slice(0, Math.max(0, max - 1)).join('');
  const space = head.search(/\s\S*$/);
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

function cutSms(text: string, maxSegments: number): string {
  const points = Array.from(text);
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (smsLength(cutAtWord(text, mid)).segments <= maxSegments) low = mid;
    else high = mid - 1;
  }
  return cutAtWord(text, low);
}

/**
 * Applies a channel's length rule to a rendered text: SMS counts parts (GSM-7 or UCS-2), social
 * and others count characters. Over the limit, `warn` keeps the text and says so; `truncate` cuts
 * it at the last word boundary that fits and ends it with `…`. Email has no limit.
 *
 * @example
 * ```ts
 * formatForChannel('x'.repeat(300), 'social').text.length;
 * //=> 280
 * formatForChannel('Hello', 'sms').sms;
 * //=> { encoding: 'gsm7', units: 5, segments: 1 }
 * ```
 */
export function formatForChannel(
  text: string,
  channel: Channel,
  limits: Readonly<Partial<Record<Channel, ChannelLimit>>> = DEFAULT_CHANNEL_LIMITS,
): ChannelText {
  const limit = limits[channel];
  if (!limit) return { text, truncated: false, warnings: [] };
  if (channel === 'sms') {
    const sms = smsLength(text);
    if (sms.segments <= limit.max) return { text, truncated: false, warnings: [], sms };
    const message = `the SMS takes ${sms.segments} parts (${sms.units} ${sms.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2'} units); the limit is ${limit.max}`;
    if (limit.overflow === 'warn')
      return { text, truncated: false, warnings: [{ code: 'channel_length', message }], sms };
    const cut = cutSms(text, limit.max);
    return {
      text: cut,
      truncated: true,
      warnings: [{ code: 'channel_truncated', message }],
      sms: smsLength(cut),
    };
  }
  const length = Array.from(text).length;
  if (length <= limit.max) return { text, truncated: false, warnings: [] };
  const message = `the ${channel} message is ${length} characters; the limit is ${limit.max}`;
  if (limit.overflow === 'warn')
    return { text, truncated: false, warnings: [{ code: 'channel_length', message }] };
  return {
    text: cutAtWord(text, limit.max),
    truncated: true,
    warnings: [{ code: 'channel_truncated', message }],
  };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
  '#34': '"',
};

/**
 * The plain-text part of an HTML email: paragraphs and line breaks become new lines, list items
 * dashes, links "text (url)", other tags are dropped (scripts and styles with their content) and
 * entities decoded.
 *
 * @example
 * ```ts
 * toPlainText('<p>Hi Ana,</p><p>Track it <a href="https://t.example/1">here</a>.<br>Thanks</p>');
 * //=> 'Hi Ana,\n\nTrack it here (https://t.example/1).\nThanks'
 * ```
 */
export function toPlainText(html: string): string {
  let text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\r?\n/g, ' ')
    .replace(
      /<a\b[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a\s*>/gi,
      (_m, _q, href: string, label: string) => {
        const inner = label.replace(/<[^>]*>/g, '').trim();
        return inner === href || inner === '' ? href : `${inner} (${href})`;
      },
    )
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|h[1-6]|ul|ol|table|tr|blockquote)\s*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '');
  text = text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
