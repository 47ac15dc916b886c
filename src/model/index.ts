/**
 * The domain model: zod schemas with types of the same name, parsing at the boundary, and errors.
 * No behaviour beyond parsing.
 *
 * @module carekit/model
 */
export { CarekitArgumentError } from './arguments.js';
export {
  CUSTOMER_PERSONAL_KEYS,
  type PersonalDataOptions,
  parseRetentionPolicy,
  REDACTED,
  type RedactableSnapshot,
  RetentionAction,
  RetentionAge,
  RetentionPolicy,
  type RetentionPolicyInput,
  RetentionRule,
  type RetentionSubject,
  type StoredKind,
} from './dataProtection.js';
export { Duration, durationToMs, MAX_DURATION_MS } from './duration.js';
export {
  ActorKind,
  Availability,
  Channel,
  FINAL_STATUSES,
  type FinalStatus,
  isFinalStatus,
  isResolvedStatus,
  Priority,
  priorityRank,
  RESOLVED_STATUSES,
  type ResolvedStatus,
  Sentiment,
  SettableStatus,
  SLA_CLOCKS,
  SlaClock,
  SURVEY_SCALES,
  SurveyKind,
  TicketStatus,
} from './enums.js';
export {
  type ArgumentErrorCode,
  CarekitError,
  type CarekitIssue,
  CarekitValidationError,
  formatPath,
  type ModelErrorCode,
} from './errors.js';
export {
  By,
  MAX_MESSAGES_PER_EVENT,
  MessageRef,
  SideParticipant,
  SideStatus,
  TICKET_EVENT_TYPES,
  TicketEvent,
  type TicketEventInput,
  type TicketEventInputOf,
  type TicketEventOf,
  type TicketEventType,
  ticketEventSchemas,
} from './events.js';
export {
  defineFields,
  FieldDefinition,
  type FieldDefinitionInput,
  FieldId,
  type FieldType,
  type FieldUpdate,
  type FieldValue,
  FieldValueInput,
  type FieldValueOf,
  type FieldValues,
  type TicketFields,
} from './fields.js';
export { functionOption, type NowOptions, objectOption, parseOptions } from './options.js';
export { OrderEvent, type OrderEventInput } from './order.js';
export {
  type ParseResult,
  parseInput,
  parseOrderEvent,
  parseTicketEvent,
  safeParseInput,
  safeParseTicketEvent,
  ticketEventJsonSchema,
} from './parse.js';
export {
  Id,
  Instant,
  JsonValue,
  Label,
  Locale,
  MAX_BODY_LENGTH,
  MAX_ID_LENGTH,
  MAX_SUBJECT_LENGTH,
  MAX_TEXT_LENGTH,
  Meta,
  TimeZone,
} from './primitives.js';
export { Actor, Agent, type AgentInput, Customer, Message, SurveyResponse } from './records.js';
export {
  defineStatuses,
  PausableClock,
  StatusCategory,
  StatusDefinition,
  type StatusDefinitionInput,
  type TicketStatuses,
} from './statuses.js';
