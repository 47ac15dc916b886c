import { z } from 'zod';
import { Id, Instant } from '../../model/index.js';

/**
 * One customer on the blocklist: who put them there, when and why. The schema checks what a host
 * passes to `desk.blocklist.add` (`at` as ISO 8601 or epoch ms, parsed to epoch ms); the type is
 * what a store keeps and lists.
 */
export const BlocklistEntry = z
  .strictObject({
    customerId: Id,
    reason: z.string().min(1).max(2000),
    by: Id,
    at: Instant,
  })
  .readonly();
/** One customer on the blocklist: who put them there, when (epoch ms) and why. */
export type BlocklistEntry = z.output<typeof BlocklistEntry>;
