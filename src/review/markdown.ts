import type { SlaClock } from '../model/index.js';
// How the review documents write Markdown and words: tables, durations, lists.

/** A `Duration` as a person writes it: `1 day 4 h`, `30 min`. */
export function duration(d: Readonly<Record<string, number | undefined>> | null | undefined): string {
  if (!d) return '—';
  const parts: string[] = [];
  if (d.weeks) parts.push(`${d.weeks} week${d.weeks === 1 ? '' : 's'}`);
  if (d.days) parts.push(`${d.days} day${d.days === 1 ? '' : 's'}`);
  if (d.hours) parts.push(`${d.hours} h`);
  if (d.minutes) parts.push(`${d.minutes} min`);
  if (d.seconds) parts.push(`${d.seconds} s`);
  return parts.join(' ') || '0';
}

/**
 * Milliseconds as a person writes them: whole days from 2 days up (`3 days`), hours and minutes
 * below (`36 h`, `1 h 30 min`), as SLA targets in business hours are usually written.
 */
export function durationMs(ms: number): string {
  const DAY = 86_400_000;
  if (ms >= 2 * DAY && ms % DAY === 0) return duration({ days: ms / DAY });
  const rest = Math.round(ms);
  const hours = Math.floor(rest / 3_600_000);
  const minutes = Math.floor((rest % 3_600_000) / 60_000);
  const seconds = Math.floor((rest % 60_000) / 1000);
  return duration({ hours, minutes, seconds });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** `a`, `a or b`, `a, b or c`. */
export function either(items: readonly string[], word = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

/** Text safe inside a quoted Mermaid label: no quotes, brackets or characters Mermaid reads as syntax. */
export function mermaidText(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/[<>{}[\]|#;`]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The days of a calendar's week, in order, as configurations name them. */
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Each day's name in a review document. */
export const DAY_NAMES: Readonly<Record<(typeof DAYS)[number], string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** Each SLA clock's name in a review document. */
export const CLOCK_NAMES: Readonly<Record<SlaClock, string>> = {
  firstReply: 'first reply',
  nextReply: 'next reply',
  periodicUpdate: 'periodic update',
  resolution: 'resolution',
};
