import type { TicketSnapshot } from '../../ticket/context.js';

/**
 * When each customer was last asked for NPS: the per-customer throttle the lifecycle asks about
 * (`npsEligible`). Derived from the saved snapshots (a ticket's survey state records the kinds
 * it asked for and when), so a restarted desk throttles as one that never stopped.
 */
export class SurveyThrottle {
  private readonly askedAt = new Map<string, number>();

  /** Whether the customer may be asked for NPS at `at`, given the policy's `every` in ms. */
  eligible(customerId: string, at: number, every: number): boolean {
    const last = this.askedAt.get(customerId);
    return last === undefined || at - last >= every;
  }

  record(snapshot: TicketSnapshot): void {
    const survey = snapshot.context.survey;
    if (survey.requestedAt === null || !survey.kinds.includes('nps')) return;
    const customerId = snapshot.context.customer.id;
    const last = this.askedAt.get(customerId);
    if (last === undefined || survey.requestedAt > last) this.askedAt.set(customerId, survey.requestedAt);
  }

  clear(): void {
    this.askedAt.clear();
  }
}
