/** Kysely row types of the audit trail: hash-chained records, the chain heads, the signed digests that seal them and the latest verification. */
import type { Generated } from 'kysely';

export interface AuditRecordsTable {
  seq: Generated<number>;
  request_id: string;
  event_time: number;
  account_id: string | null;
  principal_arn: string | null;
  access_key_id: string | null;
  event_source: string;
  action: string;
  region: string | null;
  source_ip: string;
  user_agent: string;
  outcome: string;
  error_code: string | null;
  error_message: string | null;
  /** The CloudTrail eventID (a UUID); NULL only on records that predate the audit chain. */
  event_id: string | null;
  identity_type: string | null;
  principal_id: string | null;
  user_name: string | null;
  read_only: number | null;
  /** Compact JSON of the (redacted, truncated) validated input, or NULL. */
  request_parameters: string | null;
  /** Compact JSON of a small response summary, or NULL. */
  response_elements: string | null;
  resource_type: string | null;
  resource_name: string | null;
  /** 1 on a call made from the web console (CloudTrail's sessionCredentialFromConsole); NULL otherwise. */
  from_console: number | null;
  prev_hash: string | null;
  hash: string | null;
}

/** The head of a hash chain (`records` or `digests`): the last sequence number and hash/signature. */
export interface AuditChainHeadsTable {
  name: string;
  seq: number;
  hash: string | null;
}

/** A signed digest sealing audit records start_seq..end_seq; `body` is the exact signed text. */
export interface AuditDigestsTable {
  digest_seq: number;
  start_seq: number;
  end_seq: number;
  created_at: number;
  body: string;
  signature: string;
  public_key: string;
}

/** The latest periodic verification of the whole trail (one row, `name` 'latest'); JSON text in problems/notes. */
export interface AuditVerificationsTable {
  name: string;
  checked_at: number;
  ok: number;
  unsealed_too_long: number;
  records: number;
  legacy_records: number;
  digests: number;
  sealed_through: number;
  problem_count: number;
  problems: string;
  notes: string;
  key_fingerprint: string;
  duration_ms: number;
}

/** The audit tables by name. */
export interface AuditTables {
  audit_records: AuditRecordsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_digests: AuditDigestsTable;
  audit_verifications: AuditVerificationsTable;
}
