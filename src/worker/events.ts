/** The events Bulwark raises: a closed union, one member per change other parts of the program react to. */

/** One finding, by its identity (ProductArn + Id within a Region). */
export interface FindingRef {
  productArn: string;
  findingId: string;
}

/** New findings were stored by BatchImportFindings. */
export interface FindingsImported {
  type: 'FindingsImported';
  accountId: string;
  region: string;
  findings: FindingRef[];
}

/** Stored findings changed (a provider re-import or BatchUpdateFindings). */
export interface FindingsUpdated {
  type: 'FindingsUpdated';
  accountId: string;
  region: string;
  findings: FindingRef[];
}

/** Every event; capabilities add members here. */
export type BulwarkEvent = FindingsImported | FindingsUpdated;

/** The name of an event. */
export type BulwarkEventType = BulwarkEvent['type'];

/** The event whose type is `T`. */
export type EventOfType<T extends BulwarkEventType> = Extract<BulwarkEvent, { type: T }>;

/** An event as read back from the outbox, with its place in it. */
export interface StoredEvent<E extends BulwarkEvent = BulwarkEvent> {
  seq: number;
  txid: number;
  createdAt: Date;
  event: E;
}
