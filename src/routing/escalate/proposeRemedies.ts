import { z } from 'zod';
import { parseInput } from '../../model/index.js';
import type { EscalationPolicy, RemedyLimits } from './createEscalationPolicy.js';
import type { RemedyAuthority } from './signal.js';

/** The problems remedies are proposed for. */
export const Problem = z.enum(['defect', 'delay', 'wrong_item', 'missing_item']);
export type Problem = z.infer<typeof Problem>;

/** The remedies carekit proposes. */
export type RemedyKind = 'replacement' | 'partial_refund' | 'full_refund_with_return' | 'voucher';

/** One option to offer the customer, with the tier whose authority it needs. */
export interface RemedyOption {
  readonly remedy: RemedyKind;
  /** Value in the business's currency (for a replacement, the value replaced). */
  readonly amount: number;
  /** The authority it draws on. */
  readonly authority: RemedyAuthority;
  /** The lowest tier allowed to grant it, or `null` when no tier is. */
  readonly tier: number | null;
  readonly description: string;
}

const OPTIONS: Record<Problem, readonly RemedyKind[]> = {
  defect: ['replacement', 'partial_refund', 'full_refund_with_return', 'voucher'],
  delay: ['voucher', 'partial_refund', 'full_refund_with_return'],
  wrong_item: ['replacement', 'full_refund_with_return', 'voucher'],
  missing_item: ['replacement', 'partial_refund', 'voucher'],
};

const AUTHORITY: Record<RemedyKind, RemedyAuthority> = {
  replacement: 'replacement',
  partial_refund: 'refund',
  full_refund_with_return: 'refund',
  voucher: 'credit',
};

const DESCRIBE: Record<RemedyKind, (amount: string) => string> = {
  replacement: () => 'Send a replacement at no cost',
  partial_refund: (a) => `Refund ${a} and let the customer keep the item`,
  full_refund_with_return: (a) => `Refund the full ${a} once the item is returned (return label included)`,
  voucher: (a) => `A voucher of ${a} for the next order`,
};

const DEFAULT_LIMITS: RemedyLimits = { partialRefundShare: 0.3, voucherShare: 0.15, fullRefund: true };
const OrderValue = z.number().min(0).max(1e12);

/**
 * Proposes at least two remedies for a problem and an order value, within the business's
 * limits for the customer's segment, each tagged with the lowest tier whose authority
 * covers it, cheapest first. Offer the ones your agent's tier may grant and escalate the rest.
 *
 * @throws {@link "carekit/model"!CarekitValidationError | CarekitValidationError} on an unknown problem or a negative order value.
 * @example
 * ```ts
 * proposeRemedies('defect', 80, policy).map((o) => [o.remedy, o.amount, o.tier]);
 * //=> [['voucher', 12, 1], ['partial_refund', 24, 1], ['replacement', 80, 2], ['full_refund_with_return', 80, 2]]
 * ```
 */
export function proposeRemedies(
  problem: Problem,
  orderValue: number,
  policy: EscalationPolicy,
  segment?: string,
): RemedyOption[] {
  const kind = parseInput(Problem, problem, 'problem');
  const value = parseInput(OrderValue, orderValue, 'order value');
  const limits =
    (segment !== undefined && Object.hasOwn(policy.remedyLimits, segment)
      ? policy.remedyLimits[segment]
      : undefined) ??
    (Object.hasOwn(policy.remedyLimits, 'default') ? policy.remedyLimits.default : undefined) ??
    DEFAULT_LIMITS;
  const cents = (n: number) => Math.round(n * 100) / 100;
  const options = OPTIONS[kind]
    .filter((remedy) => remedy !== 'full_refund_with_return' || limits.fullRefund)
    .map((remedy): RemedyOption => {
      const amount = cents(
        remedy === 'partial_refund'
          ? value * limits.partialRefundShare
          : remedy === 'voucher'
            ? value * limits.voucherShare
            : value,
      );
      const authority = AUTHORITY[remedy];
      const tier = policy.tiers.find((t) => t.authority[authority] >= amount)?.tier ?? null;
      return { remedy, amount, authority, tier, description: DESCRIBE[remedy](String(amount)) };
    });
  const order = (o: RemedyOption) => (o.tier === null ? Number.POSITIVE_INFINITY : o.tier);
  return options.sort((a, b) => order(a) - order(b) || a.amount - b.amount);
}
