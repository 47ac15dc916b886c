export {
  type AnswerBook,
  AnswerEntry,
  type AnswerEntryInput,
  type AnswerSuggestion,
  createAnswerBook,
  type SuggestOptions,
  suggestAnswers,
} from './createAnswerBook.js';
