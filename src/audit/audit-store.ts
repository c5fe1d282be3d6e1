/** Persistence of audit records (appended to the hash chain) and of the digests that seal them. */
import { inAccount } from '../kernel/index.js';
import type { Selectable } from 'kysely';
import type { AuditDigestsTable, DbExecutor } from '../storage/database.js';
import { recordHash, type AuditRow, type HashedFields } from './chain.js';
import type { AnchoredHead, AuditAnchor } from './anchor.js';
import type { AuditEntry } from './audit-model.js';

/** The attributes LookupEvents (and `bulwark audit search`) filter on. */
export type LookupAttributeKey =
  | 'EventId'
  | 'EventName'
  | 'ReadOnly'
  | 'Username'
  | 'ResourceType'
  | 'ResourceName'
  | 'EventSource'
  | 'AccessKeyId';

/** A query over the trail, newest first. */
export interface AuditQuery {
  /** Only this account's records (LookupEvents); undefined for every account (local CLI). */
  accountId: string | undefined;
  /** All must match. */
  attributes: Partial<Record<LookupAttributeKey, string>>;
  startTime: Date | undefined;
  endTime: Date | undefined;
  /** Continue after this record (keyset on event time, then sequence number). */
  after: { eventTime: number; seq: number } | undefined;
  limit: number;
}

/** A digest row as stored. */
export type DigestRow = Selectable<AuditDigestsTable>;

const attributeColumns = {
  EventId: 'event_id',
  EventName: 'action',
  Username: 'user_name',
  ResourceType: 'resource_type',
  ResourceName: 'resource_name',
  EventSource: 'event_source',
  AccessKeyId: 'access_key_id',
} as const;

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** Longest stored value of each free-text field a caller controls (an unauthenticated caller included). */
const maxLengths = {
  accessKeyId: 128,
  region: 32,
  sourceIp: 64,
  userAgent: 256,
  text: 1024,
} as const;

/**
 * A caller-controlled string as stored: NUL written as the two characters `\0` (PostgreSQL text refuses NUL,
 * which would lose the record), then cut to `max` characters.
 */
function storedText(value: string, max: number): string;
function storedText(value: string | undefined, max: number): string | null;
function storedText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  const escaped = value.includes('\u0000') ? value.replaceAll('\u0000', '\\0') : value;
  return escaped.length <= max ? escaped : escaped.slice(0, max);
}

/** The row an entry becomes, without its chain position. */
function toRowFields(entry: AuditEntry, prevHash: string): HashedFields {
  return {
    event_id: entry.eventId,
    request_id: storedText(entry.requestId, maxLengths.text),
    event_time: entry.eventTime.getTime(),
    event_source: entry.eventSource,
    action: entry.eventName,
    region: storedText(entry.region, maxLengths.region),
    account_id: entry.identity.accountId ?? null,
    identity_type: entry.identity.type,
    principal_id: entry.identity.principalId ?? null,
    principal_arn: entry.identity.arn ?? null,
    user_name: entry.identity.userName ?? null,
    access_key_id: storedText(entry.identity.accessKeyId, maxLengths.accessKeyId),
    source_ip: storedText(entry.sourceIp, maxLengths.sourceIp),
    user_agent: storedText(entry.userAgent, maxLengths.userAgent),
    outcome: entry.errorCode === undefined ? 'Success' : 'Failure',
    error_code: storedText(entry.errorCode, maxLengths.text),
    error_message: storedText(entry.errorMessage, maxLengths.text),
    read_only: entry.readOnly ? 1 : 0,
    request_parameters: json(entry.requestParameters),
    response_elements: json(entry.responseElements),
    resource_type: storedText(entry.resource?.type, maxLengths.text),
    resource_name: storedText(entry.resource?.name, maxLengths.text),
    from_console: entry.sessionCredentialFromConsole === true ? 1 : null,
    prev_hash: prevHash,
  };
}

/** Appends audit records to the chain and reads the trail back. */
export class AuditStore {
  /** `anchor`, when given, learns each committed record's position (see {@link AuditStore.committed}). */
  constructor(private readonly anchor?: AuditAnchor) {}

  /**
   * Appends `entry` as the next record of the chain. Inside a transaction the record commits (or rolls back)
   * with the call; given the database itself, it runs in a transaction of its own. Taking the chain head with
   * an UPDATE locks it (a row lock on PostgreSQL, the write lock on SQLite) until commit, so concurrent
   * appenders on any number of nodes get consecutive sequence numbers in commit order, each linked to the
   * committed record before it. It is the transaction's last statement group, so the lock is held only
   * through commit. Returns the record's position; a caller that passed its own transaction hands it to
   * {@link AuditStore.committed} once that transaction has committed.
   */
  async append(db: DbExecutor, entry: AuditEntry): Promise<AnchoredHead> {
    if (!db.isTransaction) {
      const position = await db.transaction().execute((tx) => this.append(tx, entry));
      try {
        this.committed(position);
      } catch {
        // The record is committed; the anchor catches up with the next committed record.
      }
      return position;
    }
    const head = await db
      .updateTable('audit_chain_heads')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('name', '=', 'records')
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const fields = toRowFields(entry, head.hash ?? '');
    const hash = recordHash(fields);
    await db
      .insertInto('audit_records')
      .values({ ...fields, seq: Number(head.seq), hash })
      .execute();
    await db.updateTable('audit_chain_heads').set({ hash }).where('name', '=', 'records').execute();
    return { sequence: Number(head.seq), hash };
  }

  /** Anchors a committed record's position outside the database (nothing without an anchor). */
  committed(position: AnchoredHead): void {
    this.anchor?.recordHead(position);
  }

  /** Records matching `query`, newest first (event time, then sequence number). */
  async query(db: DbExecutor, query: AuditQuery): Promise<AuditRow[]> {
    let select = db.selectFrom('audit_records').selectAll().where('event_id', 'is not', null);
    if (query.accountId !== undefined) select = select.where(inAccount(query.accountId));
    for (const [key, value] of Object.entries(query.attributes) as [LookupAttributeKey, string][]) {
      if (key === 'ReadOnly') select = select.where('read_only', '=', value === 'true' ? 1 : 0);
      else select = select.where(attributeColumns[key], '=', value);
    }
    if (query.startTime !== undefined) select = select.where('event_time', '>=', query.startTime.getTime());
    if (query.endTime !== undefined) select = select.where('event_time', '<=', query.endTime.getTime());
    const after = query.after;
    if (after !== undefined) {
      select = select.where((eb) =>
        eb(eb.refTuple('event_time', 'seq'), '<', eb.tuple(after.eventTime, after.seq)),
      );
    }
    return select.orderBy('event_time', 'desc').orderBy('seq', 'desc').limit(query.limit).execute();
  }

  /** Up to `limit` records with sequence numbers above `afterSeq`, in chain order. */
  async readChain(db: DbExecutor, afterSeq: number, limit: number, uptoSeq?: number): Promise<AuditRow[]> {
    return db
      .selectFrom('audit_records')
      .selectAll()
      .where('seq', '>', afterSeq)
      .$if(uptoSeq !== undefined, (qb) => qb.where('seq', '<=', uptoSeq ?? 0))
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** The sequence number of the record whose hash is `hash`, if any (a full scan: used only to explain a broken link). */
  async findSeqByHash(db: DbExecutor, hash: string): Promise<number | undefined> {
    const row = await db
      .selectFrom('audit_records')
      .select('seq')
      .where('hash', '=', hash)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.seq);
  }

  /** The chain heads: the last record and the last digest. */
  async heads(db: DbExecutor): Promise<{
    records: { seq: number; hash: string | null };
    digests: { seq: number; hash: string | null };
  }> {
    const rows = await db.selectFrom('audit_chain_heads').selectAll().execute();
    const find = (name: string): { seq: number; hash: string | null } => {
      const row = rows.find((r) => r.name === name);
      return { seq: Number(row?.seq ?? 0), hash: row?.hash ?? null };
    };
    return { records: find('records'), digests: find('digests') };
  }

  /** Every digest, in order. */
  async listDigests(db: DbExecutor): Promise<DigestRow[]> {
    return db.selectFrom('audit_digests').selectAll().orderBy('digest_seq').execute();
  }
}
