import { checkObject, checkOneOf, checkString, readArgument } from '../model/arguments.js';
import { Channel } from '../model/enums.js';
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
  checkString(text, 'smsLength', ['text'], Number.POSITIVE_INFINITY);
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
  checkString(text, 'formatForChannel', ['text'], Number.POSITIVE_INFINITY);
  checkOneOf(channel, Channel.options, 'formatForChannel', ['channel'], 'invalid_channel');
  const l = checkObject(limits, 'formatForChannel', ['limits'], 'channel limits by channel');
  const limit = readArgument(l, channel, 'formatForChannel', ['limits', channel]) as ChannelLimit | undefined;
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

/** ASCII lower case, keeping every index where it was (for searching a copy of the text). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/**
 * Removes `<script>…</script>`, `<style>…</style>` and `<!--…-->` in one pass. An opening with no
 * closing after it removes nothing; that is known from one `lastIndexOf`, so unclosed openings
 * cost no rescans (linear time).
 */
function removeBlocks(html: string): string {
  const lower = asciiLower(html);
  const closers: [string, string, number][] = [
    ['<script', '</script', lower.lastIndexOf('</script')],
    ['<style', '</style', lower.lastIndexOf('</style')],
    ['<!--', '-->', lower.lastIndexOf('-->')],
  ];
  let out = '';
  let i = 0;
  for (;;) {
    const lt = lower.indexOf('<', i);
    if (lt === -1) break;
    let skipTo = -1;
    for (const [open, close, last] of closers) {
      if (!lower.startsWith(open, lt)) continue;
      if (open !== '<!--' && /[A-Za-z0-9]/.test(lower[lt + open.length] ?? '')) break;
      if (last >= lt + open.length) {
        const end = lower.indexOf(close, lt + open.length);
        const gt = close === '-->' ? end + 3 : lower.indexOf('>', end + close.length);
        skipTo = gt === -1 ? html.length : close === '-->' ? gt : gt + 1;
      }
      break;
    }
    if (skipTo === -1) {
      out += html.slice(i, lt + 1);
      i = lt + 1;
      continue;
    }
    out += html.slice(i, lt);
    i = skipTo;
  }
  return out + html.slice(i);
}

const BLOCK_CLOSERS = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'table',
  'tr',
  'blockquote',
]);

/**
 * The plain-text part of an HTML email: paragraphs and line breaks become new lines, list items
 * dashes, links "text (url)", other tags are dropped (scripts and styles with their content) and
 * entities decoded. Linear in the length of the HTML, whatever it holds (unclosed tags included).
 *
 * @example
 * ```ts
 * toPlainText('<p>Hi Ana,</p><p>Track it <a href="https://t.example/1">here</a>.<br>Thanks</p>');
 * //=> 'Hi Ana,\n\nTrack it here (https://t.example/1).\nThanks'
 * ```
 */
export function toPlainText(html: string): string {
  checkString(html, 'toPlainText', ['html'], Number.POSITIVE_INFINITY);
  const source = removeBlocks(html).replace(/\r?\n/g, ' ');
  let out = '';
  let i = 0;
  const lastGt = source.lastIndexOf('>');
  const links: { href: string; start: number }[] = [];
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt === -1 || lt > lastGt) {
      out += source.slice(i);
      break;
    }
    out += source.slice(i, lt);
    const gt = source.indexOf('>', lt + 1);
    const tag = source.slice(lt + 1, gt);
    i = gt + 1;
    const match = /^(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(tag);
    if (!match) continue;
    const closing = match[1] === '/';
    const name = (match[2] as string).toLowerCase();
    if (name === 'br' && !closing) out += '\n';
    else if (name === 'li' && !closing) out += '\n- ';
    else if (closing && BLOCK_CLOSERS.has(name)) out += '\n\n';
    else if (name === 'a' && !closing) {
      const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
      if (href) links.push({ href: href[1] ?? href[2] ?? '', start: out.length });
    } else if (name === 'a' && closing) {
      const link = links.pop();
      if (link) {
        const label = out.slice(link.start).trim();
        out =
          out.slice(0, link.start) +
          (label === link.href || label === '' ? link.href : `${label} (${link.href})`);
      }
    }
  }
  const text = out.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (entity, name: string) => {
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
