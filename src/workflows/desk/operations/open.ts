import {
  CarekitError,
  type Channel,
  type Customer,
  FINAL_STATUSES,
  type Priority,
  parseTicketEvent,
  type TicketEvent,
} from '../../../model/index.js';
import { type Classification, decideBotAnswer, suggestAnswers } from '../../../routing/index.js';
import { selectSlaPolicy } from '../../../sla/index.js';
import type { WorkflowErrorCode } from '../../errors.js';
import { changedSince, commit } from '../commit.js';
import { type DeskDeps, NO_SLA } from '../deps.js';
import { newDraft, perform, warn } from '../draft.js';
import { candidateId, hash64, TICKET_ID_ATTEMPTS } from '../inbound.js';
import { answerByBot } from '../stages/bot.js';
import type { StoredTicket } from '../store.js';
import type { DeskResult, DeskWarning } from '../types.js';

const FINAL = new Set<string>(FINAL_STATUSES);

/** What opening a ticket needs: the message, who sent it, and how the desk knows it. */
export interface OpenSpec {
  /** The message's store key (deduplication and threading). */
  readonly key: string;
  readonly channel: Channel;
  readonly customer: Customer;
  readonly subject: string;
  readonly body: string;
  readonly at: number;
  readonly sentAt?: number;
  readonly language?: string;
  readonly tags?: readonly string[];
  readonly priority?: Priority;
  readonly meta?: Record<string, unknown>;
  readonly followUpOf?: string;
  /** The preferred ticket id; with `fixedId` no other is tried. */
  readonly preferredId: string;
  readonly fixedId?: boolean;
  /** Whether the opening `externalId` is the key (a contact) or the key is only indexed (a follow-up of an event). */
  readonly keyIsExternalId: boolean;
  /**
   * The ticket the spec's customer and subject were copied from (a follow-up's origin): the new
   * ticket is saved only while that ticket is at the version read, else the outcome is `stale`.
   */
  readonly copiedFrom?: StoredTicket;
}

/**
 * The outcome of {@link openTicket}: the result, `taken` when a fixed id is someone else's now, or
 * `stale` when the ticket the spec was copied from changed before the save (nothing was written).
 */
export type OpenOutcome =
  | { readonly result: DeskResult }
  | { readonly taken: true }
  | { readonly stale: true };

/**
 * Opens a ticket: classify → segment → select the SLA workflow → start → bot → route → render →
 * save (one commit). A ticket id another contact holds is never reused.
 */
export async function openTicket(deps: DeskDeps, spec: OpenSpec): Promise<OpenOutcome> {
  const warnings: DeskWarning[] = [];
  const [block] = await Promise.all([
    deps.store.blocklist.get(spec.customer.id),
    deps.shared.customer(spec.customer.id),
  ]);
  const customer = { ...spec.customer, ...(block ? { blocked: true } : {}) };
  let classification: Classification | undefined;
  const text = {
    subject: spec.subject,
    body: spec.body,
    channel: spec.channel,
    ...(spec.language ? { language: spec.language } : {}),
  };
  if (deps.options.classifier) {
    try {
      classification = await deps.options.classifier.classify({ ...text, customer });
    } catch (error) {
      warnings.push({
        code: 'classifier_failed',
        message: `the classifier failed, the ticket is opened unclassified: ${String(error)}`,
        ticketId: spec.preferredId,
      });
    }
  }
  const segment = customer.segment ?? deps.options.segments?.assign(customer)[0];
  const withSegment = segment ? { ...customer, segment } : customer;
  const priority = spec.priority ?? classification?.priority;
  const policy = selectSlaPolicy(deps.policies, {
    segment: segment ?? null,
    channel: spec.channel,
    category: classification?.category ?? null,
    priority: priority ?? 'normal',
  });
  const workflowKey = policy?.id ?? NO_SLA;
  const wf = deps.workflow(workflowKey);
  const tags = [...new Set([...(spec.tags ?? []), ...(classification?.tags ?? [])])];
  const suggestions = deps.options.bot ? suggestAnswers(text, deps.options.bot.book) : undefined;

  const source = spec.copiedFrom;
  return commit<OpenOutcome>(deps, `the contact ${spec.key}`, async (attempt) => {
    if (attempt > 1 && source !== undefined) {
      // The first save was refused: the copied ticket may have changed (an erasure redacts it).
      if (await changedSince(deps, source)) return { result: { stale: true } };
    }
    if (attempt > 1 && spec.keyIsExternalId) {
      // A concurrent call may have opened the same contact: that one stands.
      const winner = await deps.store.findByExternalId(spec.key);
      if (winner !== null) {
        const stored = await deps.loader.load(winner);
        if (stored && stored.customerId === spec.customer.id) {
          return {
            result: {
              result: {
                ticket: deps.workflow(stored.workflowKey).view(stored.snapshot),
                effects: [],
                duplicate: true,
                warnings,
              },
            },
          };
        }
      }
    }
    let ticketId: string | null = null;
    for (let n = 0; n < (spec.fixedId ? 1 : TICKET_ID_ATTEMPTS); n++) {
      const id = candidateId(spec.preferredId, n);
      if ((await deps.loader.load(id)) === null) {
        ticketId = id;
        break;
      }
    }
    if (ticketId === null) {
      if (spec.fixedId) return { result: { taken: true } };
      throw new CarekitError<WorkflowErrorCode>(
        'ticket_id_taken',
        `the ticket id ${spec.preferredId} and the next ${TICKET_ID_ATTEMPTS - 1} derived from it belong to other contacts; give \`ticketId\` ids that differ per contact`,
      );
    }
    const opened = parseTicketEvent({
      type: 'ticket.opened',
      id: `${ticketId}:opened`,
      ticketId,
      at: spec.at,
      ...(spec.sentAt !== undefined ? { sentAt: spec.sentAt } : {}),
      channel: spec.channel,
      subject: spec.subject,
      body: spec.body,
      customer: withSegment,
      ...(priority ? { priority } : {}),
      ...(classification ? { category: classification.category } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(classification?.sentiment ? { sentiment: classification.sentiment } : {}),
      ...(spec.language ? { language: spec.language } : {}),
      ...(spec.followUpOf ? { followUpOf: spec.followUpOf } : {}),
      ...(spec.meta ? { meta: spec.meta } : {}),
      ...(spec.keyIsExternalId ? { externalId: spec.key } : {}),
    });
    const started = wf.start(opened);
    const draft = newDraft({
      ticketId,
      wf,
      workflowKey,
      version: 0,
      customerId: customer.id,
      externalId: spec.keyIsExternalId ? spec.key : null,
      snapshot: started.snapshot,
      whole: true,
    });
    draft.events.push(...(started.log ?? [opened as TicketEvent]));
    for (const w of started.warnings ?? []) warn(draft, w.code, w.message);
    draft.pending.push(...started.effects);
    if (!spec.keyIsExternalId) draft.messageKeys.push(spec.key);
    for (const w of warnings) draft.warnings.push({ ...w, ticketId });
    let bot: ReturnType<typeof decideBotAnswer> | undefined;
    const context = started.snapshot.context;
    if (deps.botPolicy && deps.options.bot && context.queue === null && !FINAL.has(started.snapshot.status)) {
      bot = decideBotAnswer(
        {
          ...text,
          category: classification?.category ?? null,
          ...(classification?.sentiment ? { sentiment: classification.sentiment } : {}),
          customer: withSegment,
        },
        deps.options.bot.book,
        deps.botPolicy,
      );
      if (bot.answer) answerByBot(deps, draft, bot, opened.at);
    }
    await perform(deps, draft);
    return {
      draft,
      ...(source !== undefined ? { guards: [source] } : {}),
      result: (saved) => ({
        result: {
          ticket: saved.wf.view(saved.snapshot, { now: opened.at }),
          effects: saved.effects,
          ...(classification ? { classification } : {}),
          ...(bot ? { bot } : {}),
          ...(suggestions ? { suggestions } : {}),
          warnings: saved.warnings,
        },
      }),
    };
  });
}

/** The default id of a contact's ticket: `T-` and a hash of its key. */
export function defaultTicketId(key: string): string {
  return `T-${hash64(key)}`;
}
