import type { TicketEvent } from '../../../model/index.js';
import { formatPromise, promiseFor } from '../../../sla/index.js';
import type { TicketSnapshot } from '../../ticket/context.js';
import type { TicketEffect } from '../../ticket/effects.js';
import type { TicketView } from '../../ticket/view.js';
import type { DeskDeps } from '../deps.js';
import type { SendMessageEffect } from '../types.js';

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Merges `extra` into `base` key by key, objects deeply, so the host adds to carekit's variables. */
export function mergeDeep(base: Plain, extra: Plain): Plain {
  const out: Plain = { ...base };
  for (const key of Object.keys(extra)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const a = out[key];
    const b = extra[key];
    out[key] = isPlain(a) && isPlain(b) ? mergeDeep(a, b) : b;
  }
  return out;
}

/**
 * The render context a desk gives templates (not the public `templateVariables`, which lists the
 * variable paths a template reads): `ticket` (the view, with `id`), `customer` (with
 * `first_name` from `givenName`, never guessed from `name`), `agent` (the assignee's `id` and
 * `name`), for a new ticket `reply_by` and `promise`, and the host's own from `templateContext`,
 * merged deeply (the host's values win).
 */
export function renderContext(
  deps: DeskDeps,
  view: TicketView,
  snapshot: TicketSnapshot,
  promise: Plain = {},
): Plain {
  const customer = snapshot.context.customer;
  const agent = deps.agents.find((a) => a.id === view.assigneeId);
  const base: Plain = {
    ticket: { ...view, id: view.ticketId },
    customer: { ...customer, ...(customer.givenName ? { first_name: customer.givenName } : {}) },
    ...(agent ? { agent: { id: agent.id, name: agent.name } } : {}),
    ...promise,
  };
  const extra = deps.options.templateContext?.(view);
  return extra ? mergeDeep(base, extra) : base;
}

/**
 * The promise variables of a ticket whose whole log is at hand (a new ticket): `reply_by` and
 * `promise`, or nothing without a first-reply target.
 */
export function promiseVariables(
  deps: DeskDeps,
  snapshot: TicketSnapshot,
  timeline: readonly TicketEvent[],
  at: number,
  templateId: string,
  ahead: number,
): Plain {
  if (timeline[0]?.type !== 'ticket.opened') return {};
  const policyId = (snapshot.context.sla as { policyId?: string } | null)?.policyId;
  const policy = deps.policies.find((p) => p.id === policyId);
  if (!policy?.clocks.firstReply) return {};
  const settings = deps.options.promise ?? {};
  const staffed = deps.agents.filter((a) => (a.availability ?? 'available') === 'available').length;
  const context = snapshot.context;
  const promise = promiseFor(policy, timeline, {
    now: at,
    ...(deps.options.calendars ? { calendars: deps.options.calendars } : {}),
    ...(settings.roundTo ? { roundTo: settings.roundTo } : {}),
    ...(settings.msPerTicket !== undefined && staffed > 0
      ? { queue: { ahead, agents: staffed, msPerTicket: settings.msPerTicket } }
      : {}),
  });
  if (promise.basis === 'none') return {};
  const customer = context.customer;
  const wanted = context.language ?? customer.language ?? settings.locale ?? 'en';
  return {
    reply_by: formatPromise(promise.at, {
      // The language the template will speak (a `pt` customer may get the `en` version).
      locale: deps.templates?.resolveLocale?.(templateId, wanted) ?? wanted,
      timeZone: customer.timeZone ?? settings.timeZone ?? 'UTC',
      now: at,
    }),
    promise: { at: new Date(promise.at).toISOString(), basis: promise.basis },
  };
}

/** The template a survey request renders with, when the library has it: `survey_csat`, `survey_nps`, `survey_ces`. */
export function surveyTemplateId(survey: string): string {
  return `survey_${survey}`;
}

/**
 * Renders a template into the message the host sends, keeping the id of the effect it stands
 * for. Throws what the library throws (the caller keeps the effect and warns).
 */
export function renderMessage(
  deps: DeskDeps,
  effect: Pick<TicketEffect, 'id' | 'ticketId' | 'at' | 'causedBy'> & { readonly customerId: string },
  channel: SendMessageEffect['channel'],
  templateId: string,
  variables: Plain,
  view: TicketView,
  extra: Partial<Pick<SendMessageEffect, 'bot' | 'survey'>> = {},
): SendMessageEffect {
  const templates = deps.templates as NonNullable<DeskDeps['templates']>;
  const message = templates.render(templateId, variables, {
    channel,
    customerId: effect.customerId,
    ticketId: effect.ticketId,
    ...(view.language ? { locale: view.language } : {}),
  });
  return {
    type: 'send_message',
    id: effect.id,
    ticketId: effect.ticketId,
    at: effect.at,
    causedBy: effect.causedBy,
    templateId,
    customerId: effect.customerId,
    channel,
    locale: message.locale ?? view.language,
    text: message.text ?? message.output,
    ...(message.html !== undefined ? { html: message.html } : {}),
    ...(message.subject !== undefined ? { subject: message.subject } : {}),
    missing: message.missing,
    ...extra,
  };
}
