export {
  type BotContact,
  type BotDecision,
  type BotDeclineReason,
  type BotPolicy,
  BotPolicyConfig,
  createBotPolicy,
  decideBotAnswer,
} from './botPolicy.js';
export {
  type AnswerBook,
  AnswerEntry,
  type AnswerEntryInput,
  type AnswerSuggestion,
  createAnswerBook,
  type SuggestOptions,
  suggestAnswers,
} from './createAnswerBook.js';
export { type ReadReplyOptions, type ReplyReading, readReply } from './readReply.js';
