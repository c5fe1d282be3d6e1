/** The protocol-independent path of every API call: authenticate, validate, authorize, run in a transaction, audit. */
import type { Logger } from 'pino';
import type { AccessService, Actor } from '../access/index.js';
import { authorize } from '../access/index.js';
import type { AuditEntry, AuditStore } from '../audit/index.js';
import type { Db } from '../storage/database.js';
import { ApiError, toWireError } from './errors.js';
import type { Operation, OperationRequest } from './operation.js';
import { parseSignature, verifySignature, type SignedRequest } from './sigv4.js';

/** The transport facts of one request that the pipeline and the audit trail need. */
export interface CallEnvelope extends SignedRequest {
  requestId: string;
  sourceIp: string;
  userAgent: string;
}

/** Runs operations for any protocol adapter. */
export class RequestPipeline {
  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
    private readonly audit: AuditStore,
    private readonly logger: Logger,
    private readonly clock: () => Date,
  ) {}

  /**
   * Executes `operation` for the signed call; throws ApiError (already audited) on any failure.
   * `readRequest` runs after authentication, so a malformed body is audited like any other invalid input.
   */
  async execute(
    envelope: CallEnvelope,
    operation: Operation,
    readRequest: () => OperationRequest,
  ): Promise<unknown> {
    const now = this.clock();
    let actor: Actor | undefined;
    let region: string | undefined;
    let accessKeyId: string | undefined;
    try {
      const signature = parseSignature(envelope);
      accessKeyId = signature.accessKeyId;
      region = signature.region;
      const signingName = operation.eventSource.split('.')[0] ?? '';
      if (signature.service !== signingName) {
        throw new ApiError(
          'InvalidSignature',
          `Credential should be scoped to correct service: '${signingName}'. `,
        );
      }
      const identity = await this.access.resolveKey(signature.accessKeyId, now);
      verifySignature(envelope, signature, identity.secretAccessKey, now);
      actor = identity.actor;
      const call = operation.prepare(readRequest());
      const scope = { accountId: actor.accountId, region: signature.region };
      authorize(actor, operation.action, call.resource(scope));
      const caller = actor;
      return await this.db.transaction().execute(async (tx) => {
        const result = await call.run({
          actor: caller,
          accountId: caller.accountId,
          region: scope.region,
          requestId: envelope.requestId,
          now,
          tx,
        });
        await this.audit.append(
          tx,
          this.entry(envelope, operation, now, caller, region, accessKeyId, undefined),
        );
        return result;
      });
    } catch (error) {
      if (!(error instanceof ApiError)) {
        this.logger.error(
          { err: error, requestId: envelope.requestId, operation: operation.name },
          'request failed',
        );
      }
      await this.audit
        .append(this.db, this.entry(envelope, operation, now, actor, region, accessKeyId, error))
        .catch((auditError: unknown) =>
          this.logger.error(
            { err: auditError, requestId: envelope.requestId },
            'audit record of a failed call lost',
          ),
        );
      throw error;
    }
  }

  private entry(
    envelope: CallEnvelope,
    operation: Operation,
    now: Date,
    actor: Actor | undefined,
    region: string | undefined,
    accessKeyId: string | undefined,
    error: unknown,
  ): AuditEntry {
    const wire = error === undefined ? undefined : toWireError(error);
    return {
      requestId: envelope.requestId,
      eventTime: now,
      accountId: actor?.accountId,
      principalArn: actor?.principalArn,
      accessKeyId,
      eventSource: operation.eventSource,
      action: operation.name,
      region,
      sourceIp: envelope.sourceIp,
      userAgent: envelope.userAgent,
      outcome: error === undefined ? 'Success' : 'Failure',
      errorCode: wire?.exceptionName,
      errorMessage: wire?.body['Message'],
    };
  }
}
