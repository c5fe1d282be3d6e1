/** Background work: the job queue, schedules and the event outbox. Capabilities use only this door. */
export type { BulwarkEvent, BulwarkEventType, EventOfType, FindingRef, StoredEvent } from './events.js';
export { appendEvent, appendEvents } from './outbox.js';
export { enqueue, type NewJob } from './job-queue.js';
export type { JobContext, JobDefinition } from './job-definitions.js';
export type { EventSubscriber, SubscriberContext } from './event-dispatcher.js';
export {
  countDeadLetters,
  deadLetterId,
  discardDeadLetters,
  listDeadLetters,
  parseDeadLetterId,
  registerDeadLetterGauge,
  requestRedrive,
  type DeadLetter,
  type DeadLetterActionResult,
  type DeadLetterKey,
  type GaugeRegistry,
} from './dead-letters.js';
