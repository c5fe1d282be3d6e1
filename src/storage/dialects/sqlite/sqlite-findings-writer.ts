/**
 * The SQLite findings writer: better-sqlite3 statements prepared once and run row by row on the single
 * connection, inside the transaction the caller already holds (Kysely's SqliteDialect has one connection,
 * so the caller's transaction is this connection's transaction). Saves the per-batch query building and
 * statement preparation of the portable writer.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { DbExecutor } from '../../database.js';
import type { FindingColumns, FindingRows, FindingsWriter } from '../../findings-writer.js';
import { WriteConflictError } from '../../write-conflict.js';

const findingColumns = [
  'region',
  'product_arn',
  'finding_id',
  'aws_account_id',
  'generator_id',
  'title',
  'severity_label',
  'severity_rank',
  'severity_normalized',
  'workflow_status',
  'record_state',
  'compliance_status',
  'verification_state',
  'product_name',
  'company_name',
  'created_at_ms',
  'updated_at_ms',
  'first_observed_at_ms',
  'last_observed_at_ms',
  'customer_updated',
  'version',
  'stored_at_ms',
] as const satisfies readonly (keyof FindingColumns)[];

type Statement = SqliteDatabase.Statement<unknown[]>;

interface Statements {
  insertFinding: Statement;
  updateFinding: Statement;
  updateHeld: Statement;
  insertDocument: Statement;
  updateDocument: Statement;
  deleteTypes: Statement;
  deleteResources: Statement;
  insertType: Statement;
  insertResource: Statement;
  insertHistory: Statement;
}

function columnValues(columns: FindingColumns): unknown[] {
  return [
    columns.region,
    columns.product_arn,
    columns.finding_id,
    columns.aws_account_id,
    columns.generator_id,
    columns.title,
    columns.severity_label,
    columns.severity_rank,
    columns.severity_normalized,
    columns.workflow_status,
    columns.record_state,
    columns.compliance_status,
    columns.verification_state,
    columns.product_name,
    columns.company_name,
    columns.created_at_ms,
    columns.updated_at_ms,
    columns.first_observed_at_ms,
    columns.last_observed_at_ms,
    columns.customer_updated,
    columns.version,
    columns.stored_at_ms,
  ];
}

/** Writes findings with prepared statements on the SQLite connection behind the Kysely instance. */
export class SqliteFindingsWriter implements FindingsWriter {
  private statements: Statements | undefined;

  constructor(private readonly connection: SqliteDatabase.Database) {}

  write(tx: DbExecutor, rows: readonly FindingRows[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    // Outside the caller's transaction these statements could land in another caller's transaction.
    if (!tx.isTransaction || !this.connection.inTransaction) {
      return Promise.reject(new Error('SqliteFindingsWriter.write must run inside a transaction'));
    }
    const s = (this.statements ??= this.prepare());
    for (const row of rows) {
      let pk: number;
      if (row.pk === undefined) {
        pk = Number(s.insertFinding.run(...columnValues(row.columns), row.held ?? 0).lastInsertRowid);
        s.insertDocument.run(pk, row.document);
      } else {
        pk = row.pk;
        // One writer: nothing can change the row between its read and this update, but check as every writer does.
        if (s.updateFinding.run(...columnValues(row.columns), pk, row.expectedVersion ?? 0).changes !== 1) {
          throw new WriteConflictError(`finding ${pk} was changed since it was read`);
        }
        if (row.held !== undefined) s.updateHeld.run(row.held, pk);
        s.updateDocument.run(row.document, pk);
        s.deleteTypes.run(pk);
        s.deleteResources.run(pk);
      }
      for (const type of row.types) s.insertType.run(pk, type);
      for (const resource of row.resources) s.insertResource.run(pk, resource.type, resource.id);
      const h = row.history;
      s.insertHistory.run(
        pk,
        h.update_time_ms,
        h.finding_created,
        h.source_type,
        h.source_identity,
        h.updates,
      );
    }
    return Promise.resolve();
  }

  private prepare(): Statements {
    const c = this.connection;
    const placeholders = findingColumns.map(() => '?').join(', ');
    return {
      insertFinding: c.prepare(
        `insert into findings (${findingColumns.join(', ')}, held) values (${placeholders}, ?)`,
      ),
      updateFinding: c.prepare(
        `update findings set ${findingColumns.map((name) => `${name} = ?`).join(', ')} where pk = ? and version = ?`,
      ),
      updateHeld: c.prepare('update findings set held = ? where pk = ?'),
      insertDocument: c.prepare('insert into finding_documents (finding_pk, document) values (?, ?)'),
      updateDocument: c.prepare('update finding_documents set document = ? where finding_pk = ?'),
      deleteTypes: c.prepare('delete from finding_types where finding_pk = ?'),
      deleteResources: c.prepare('delete from finding_resources where finding_pk = ?'),
      insertType: c.prepare('insert into finding_types (finding_pk, type) values (?, ?)'),
      insertResource: c.prepare(
        'insert into finding_resources (finding_pk, resource_type, resource_id) values (?, ?, ?)',
      ),
      insertHistory: c.prepare(
        'insert into finding_history (finding_pk, update_time_ms, finding_created, source_type, source_identity, updates) values (?, ?, ?, ?, ?, ?)',
      ),
    };
  }
}
