/** Persistence of audit records. */
import type { DbExecutor } from '../storage/database.js';
import type { AuditEntry } from './model.js';

/** Appends audit records and reads them back. */
export class AuditStore {
  async append(db: DbExecutor, entry: AuditEntry): Promise<void> {
    await db
      .insertInto('audit_records')
      .values({
        request_id: entry.requestId,
        event_time: entry.eventTime.getTime(),
        account_id: entry.accountId ?? null,
        principal_arn: entry.principalArn ?? null,
        access_key_id: entry.accessKeyId ?? null,
        event_source: entry.eventSource,
        action: entry.action,
        region: entry.region ?? null,
        source_ip: entry.sourceIp,
        user_agent: entry.userAgent,
        outcome: entry.outcome,
        error_code: entry.errorCode ?? null,
        error_message: entry.errorMessage ?? null,
      })
      .execute();
  }

  async listByRequestId(db: DbExecutor, requestId: string): Promise<AuditEntry[]> {
    const rows = await db
      .selectFrom('audit_records')
      .selectAll()
      .where('request_id', '=', requestId)
      .execute();
    return rows.map((row) => ({
      requestId: row.request_id,
      eventTime: new Date(Number(row.event_time)),
      accountId: row.account_id ?? undefined,
      principalArn: row.principal_arn ?? undefined,
      accessKeyId: row.access_key_id ?? undefined,
      eventSource: row.event_source,
      action: row.action,
      region: row.region ?? undefined,
      sourceIp: row.source_ip,
      userAgent: row.user_agent,
      outcome: row.outcome === 'Success' ? 'Success' : 'Failure',
      errorCode: row.error_code ?? undefined,
      errorMessage: row.error_message ?? undefined,
    }));
  }
}
