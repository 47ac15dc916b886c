export { createDeskFromConfig, DeskConfig, type DeskConfigInput, parseDeskConfig } from './config.js';
export {
  BOT_QUEUE,
  createDesk,
  type Desk,
  type DeskBatchResult,
  type DeskBot,
  type DeskEffect,
  type DeskOptions,
  type DeskResult,
  type DeskTemplates,
  type DeskWarning,
  type DeskWarningCode,
  InboundContact,
  type InboundContactInput,
  type OutreachPlanInput,
  type ResolvedDeskOptions,
  type SendMessageEffect,
} from './createDesk.js';
export {
  type BlocklistChange,
  type BlocklistEntry,
  createMemoryStore,
  type SaveResult,
  type StoredTicket,
  type TicketStore,
  type TicketWrite,
  type TimeRange,
} from './store.js';
