import type { ClassificationRuleInput } from './ruleClassifier.js';

/** One category of the default taxonomy, with a sentence saying what belongs in it. */
export interface TaxonomyEntry {
  readonly category: string;
  readonly description: string;
}

/**
 * The categories of contacts from customer-care practice in online retail, in the order a
 * team usually meets them. A starting point: rename, drop or add categories freely.
 *
 * @example
 * ```ts
 * defaultTaxonomy.map((t) => t.category);
 * //=> ['pre_sales', 'order_status', 'payment', 'shipping', 'return', 'refund', 'defect', 'usage', 'complaint', 'review', 'account', 'spam']
 * ```
 */
export const defaultTaxonomy: readonly TaxonomyEntry[] = [
  { category: 'pre_sales', description: 'A question before buying: stock, sizes, compatibility, price.' },
  {
    category: 'order_status',
    description: 'Where an order is, whether it was received, changing or cancelling it.',
  },
  { category: 'payment', description: 'Charges, failed payments, invoices, payment methods.' },
  { category: 'shipping', description: 'Delivery options, delays, lost parcels, tracking.' },
  { category: 'return', description: 'Sending an item back or exchanging it.' },
  { category: 'refund', description: 'Getting money back.' },
  {
    category: 'defect',
    description: 'An item arrived broken, damaged, faulty or in poor condition, or the wrong item came.',
  },
  { category: 'usage', description: 'How to use, set up or look after a product.' },
  { category: 'complaint', description: 'Dissatisfaction with the service, a person or the business.' },
  { category: 'review', description: 'Feedback, a review or a rating.' },
  { category: 'account', description: 'Signing in, passwords, profile, newsletter and data requests.' },
  { category: 'spam', description: 'Advertising, phishing and other contacts that need no answer.' },
];

/**
 * A default English rule set for {@link defaultTaxonomy}, for {@link ruleClassifier}.
 * Deliberately small and readable: copy it and adapt it to your products and words.
 * Complaint rules mark the sentiment negative and anger raises the priority.
 *
 * @example
 * ```ts
 * ruleClassifier(defaultRules).classify({ body: 'The mug arrived broken' }).category;
 * //=> 'defect'
 * ```
 */
export const defaultRules: readonly ClassificationRuleInput[] = [
  {
    category: 'pre_sales',
    keywords: ['available', 'stock', 'size', 'compatible', 'discount', 'price'],
    phrases: ['do you sell', 'in stock', 'before i buy', 'do you have'],
  },
  {
    category: 'order_status',
    phrases: ['where is my order', 'order status', 'cancel my order', 'change my order', 'cancel order'],
    weight: 2,
  },
  { category: 'order_status', keywords: ['order', 'purchase'] },
  {
    category: 'payment',
    keywords: ['payment', 'charged', 'invoice', 'card', 'paypal', 'billing'],
    phrases: ['charged twice', 'payment failed'],
  },
  {
    category: 'shipping',
    keywords: ['delivery', 'shipping', 'tracking', 'parcel', 'package', 'courier', 'shipped', 'late'],
    phrases: ['not arrived', 'has not arrived', 'still waiting', 'tracking number'],
  },
  { category: 'return', keywords: ['return', 'exchange', 'send back'], phrases: ['return label'] },
  {
    category: 'refund',
    keywords: ['refund', 'reimburse', 'reimbursement'],
    phrases: ['money back', 'get my money'],
    weight: 2,
  },
  {
    category: 'defect',
    keywords: ['broken', 'damaged', 'defective', 'faulty', 'cracked', 'scratched', 'torn', 'stopped working'],
    phrases: ['wrong item', 'wrong size', 'missing item', 'does not work', "doesn't work"],
    weight: 2,
  },
  { category: 'usage', phrases: ['how do i', 'how to', 'instructions', 'set up', 'user manual'] },
  {
    category: 'complaint',
    keywords: ['unacceptable', 'disappointed', 'terrible', 'worst', 'awful', 'rude', 'complaint', 'angry'],
    phrases: ['file a complaint'],
    weight: 2,
    sentiment: 'negative',
    priority: 'high',
    tags: ['angry'],
  },
  {
    category: 'review',
    keywords: ['review', 'feedback', 'rating', 'stars'],
    phrases: ['leave a review', 'love it', 'thank you'],
    sentiment: 'positive',
  },
  {
    category: 'account',
    keywords: ['password', 'login', 'account', 'newsletter', 'unsubscribe', 'profile', 'sign'],
    phrases: ['log in', 'sign in', 'reset password', 'delete my account'],
  },
  {
    category: 'spam',
    keywords: ['seo', 'backlinks', 'crypto', 'viagra', 'lottery'],
    phrases: ['click here', 'limited offer', 'guest post'],
    patterns: ['https?://\\S+\\.(?:ru|xyz|top)\\b'],
    weight: 3,
    tags: ['spam'],
  },
  {
    // Last, so the other rules keep their ids; the tag fires an escalation policy's
    // `asks_for_manager` rules when a desk opens the ticket.
    id: 'asks_for_manager',
    category: 'complaint',
    phrases: [
      'speak to a manager',
      'talk to a manager',
      'speak to your manager',
      'talk to your manager',
      'speak to a supervisor',
      'talk to a supervisor',
    ],
    weight: 2,
    sentiment: 'negative',
    priority: 'high',
    tags: ['angry', 'asks_for_manager'],
  },
];
