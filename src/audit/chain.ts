/** The audit hash chain: the canonical serialization of a record and its SHA-256 link to the previous record. */
import { createHash } from 'node:crypto';
import type { AuditRecordsTable } from '../storage/database.js';
import type { Selectable } from 'kysely';

/** The `prev_hash` of the first chained record (the migration seeds the chain head with it). */
export const genesisHash = '0'.repeat(64);

/** An audit row as stored. */
export type AuditRow = Selectable<AuditRecordsTable>;

/** The fields a record's hash covers: everything but its position (`seq`) and the hash itself. */
export type HashedFields = Omit<AuditRow, 'seq' | 'hash'>;

const num = (value: number | null): number | null => (value === null ? null : Number(value));

/**
 * SHA-256 (hex) over a JSON array of the record's columns in a fixed order, ending with `prev_hash`. The
 * sequence number is deliberately left out: a record moved to another position still hashes the same, so the
 * verifier can tell a reordering (broken link, intact hashes) from a modification (hash mismatch). A console
 * call's marker is appended after `prev_hash` only when set: removing it changes the hash like any other edit.
 */
export function recordHash(row: HashedFields): string {
  const fields = [
    'bulwark-audit-v1',
    row.event_id,
    row.request_id,
    num(row.event_time),
    row.event_source,
    row.action,
    row.region,
    row.account_id,
    row.identity_type,
    row.principal_id,
    row.principal_arn,
    row.user_name,
    row.access_key_id,
    row.source_ip,
    row.user_agent,
    row.outcome,
    row.error_code,
    row.error_message,
    num(row.read_only),
    row.request_parameters,
    row.response_elements,
    row.resource_type,
    row.resource_name,
    row.prev_hash,
  ];
  // Facts added to records later are hashed only when present, so records written before them hash as they did.
  const fromConsole = num(row.from_console ?? null);
  const canonical = JSON.stringify(fromConsole === null ? fields : [...fields, 'fromConsole', fromConsole]);
  return createHash('sha256').update(canonical).digest('hex');
}
