/** The protocol-independent path of every API call: authenticate, validate, authorize, run in a transaction, audit. */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AccessService, Actor } from '../access/index.js';
import { authorize, requestContext } from '../access/index.js';
import type { AuditEntry, AuditStore } from '../audit/index.js';
import {
  UnauthenticatedFailureAggregator,
  compactParameters,
  failureSummaryEntry,
  identityTypeOf,
  isReadOnlyEventName,
  resourceOfArn,
  summarizeResponse,
} from '../audit/index.js';
import type { Db } from '../storage/database.js';
import { ApiError } from '../kernel/index.js';
import { wireErrorOf } from './wire-errors.js';
import type { Operation, OperationRequest, PreparedCall } from '../protocols/operation.js';
import {
  parseSignature,
  verifySignature,
  verifySignatureBeforeBody,
  type ParsedSignature,
  type SignedRequest,
} from './sigv4.js';
import { inRetryingTransaction } from '../storage/index.js';

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
    /** Bounds the records unauthenticated failures add (a flood from one address becomes one summary). */
    private readonly failures = new UnauthenticatedFailureAggregator(),
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
    return this.audited(envelope, operation, async (audit) => {
      if (operation.authentication === 'activation-code') {
        return this.executeWithActivationCode(envelope, operation, readRequest, audit);
      }
      const signature = parseSignature(envelope);
      audit.accessKeyId = signature.accessKeyId;
      audit.region = signature.region;
      requireSigningService(signature, operation.eventSource);
      const identity = await this.access.resolveKey(signature.accessKeyId, audit.now);
      audit.actor = identity.actor;
      verifySignature(envelope, signature, identity.secretAccessKey, audit.now);
      audit.verified = true;
      return this.runAuthorized(envelope, operation, readRequest, audit, { secureTransport: false });
    });
  }

  /**
   * Executes `operation` for a caller authenticated otherwise (a web console session): the same validation,
   * authorization, transaction and audit record as a signed call, with the session reference as the record's
   * access key id and the record marked as made from the console. Throws ApiError (already audited).
   */
  async executeAs(
    envelope: CallEnvelope,
    caller: { actor: Actor; region: string; secureTransport: boolean },
    operation: Operation,
    readRequest: () => OperationRequest,
  ): Promise<unknown> {
    return this.audited(envelope, operation, (audit) => {
      audit.actor = caller.actor;
      audit.accessKeyId = caller.actor.accessKeyId;
      audit.region = caller.region;
      audit.verified = true;
      audit.fromConsole = true;
      if (operation.authentication === 'activation-code') {
        throw new ApiError('AccessDenied', `${operation.name} is not available from the console`);
      }
      return this.runAuthorized(envelope, operation, readRequest, audit, {
        secureTransport: caller.secureTransport,
      });
    });
  }

  /**
   * Runs `body` with the call's audit facts; on failure writes the failed call's record (unauthenticated
   * failures through the aggregator) and rethrows. The success record is `body`'s to write, in its transaction.
   */
  private async audited(
    envelope: CallEnvelope,
    operation: Operation,
    body: (audit: AuditFacts) => Promise<unknown>,
  ): Promise<unknown> {
    const now = this.clock();
    await this.recordFailureSummaries(now);
    // What the audit record can name: the key's owner once the key is known (even if the signature then fails).
    const audit: AuditFacts = { operation, now, actor: undefined, region: undefined, accessKeyId: undefined };
    try {
      return await body(audit);
    } catch (error) {
      if (!(error instanceof ApiError)) {
        this.logger.error(
          { err: error, requestId: envelope.requestId, operation: operation.name },
          'request failed',
        );
      }
      const entry = this.entry(envelope, audit, error, undefined);
      const unauthenticated = audit.verified !== true;
      const recorded =
        !unauthenticated ||
        this.failures.admit(envelope.sourceIp, now, {
          errorCode: entry.errorCode ?? 'InternalFailure',
          eventName: entry.eventName,
        });
      if (recorded) {
        await this.audit
          .append(this.db, entry)
          .catch((auditError: unknown) =>
            this.logger.error(
              { err: auditError, requestId: envelope.requestId },
              'audit record of a failed call lost',
            ),
          );
      }
      throw error;
    }
  }

  /**
   * The part of every authenticated call: validate the input, authorize the action on its resource, run it and
   * append its audit record in one transaction, then anchor the record.
   */
  private async runAuthorized(
    envelope: CallEnvelope,
    operation: Operation,
    readRequest: () => OperationRequest,
    audit: AuditFacts,
    transport: { secureTransport: boolean },
  ): Promise<unknown> {
    const caller = audit.actor;
    const region = audit.region;
    if (caller === undefined || region === undefined) throw new Error('an authorized call needs its caller');
    const { now } = audit;
    const call = operation.prepare(readRequest());
    audit.call = call;
    const scope = { accountId: caller.accountId, region };
    const resourceArn = call.resource(scope);
    audit.resourceArn = resourceArn;
    if (operation.authorization !== 'none') {
      authorize(
        caller,
        operation.action,
        resourceArn,
        requestContext({
          sourceIp: envelope.sourceIp,
          region,
          now,
          userAgent: envelope.userAgent,
          secureTransport: transport.secureTransport,
        }),
      );
    }
    const { result, position } = await inRetryingTransaction(this.db, async (tx) => {
      const result = await call.run({
        actor: caller,
        accountId: caller.accountId,
        region,
        requestId: envelope.requestId,
        now,
        tx,
      });
      const position = await this.audit.append(tx, this.entry(envelope, audit, undefined, result));
      return { result, position };
    });
    this.anchor(position, envelope.requestId);
    return result;
  }

  /**
   * Authenticates what can be authenticated before a large body is read: a signature is present and well formed,
   * scoped to `eventSource`'s service, made with a known key at a current time, and — when the client declared
   * the payload hash it signed — correct. Agent registration (no key) passes. Throws ApiError, not audited: the
   * caller records the refusal with {@link refuse}.
   */
  async admit(
    request: Omit<SignedRequest, 'body'>,
    operation: Operation | undefined,
    eventSource: string,
  ): Promise<void> {
    if (operation?.authentication === 'activation-code') return;
    const now = this.clock();
    const signature = parseSignature({ ...request, body: Buffer.alloc(0) });
    requireSigningService(signature, eventSource);
    const identity = await this.access.resolveKey(signature.accessKeyId, now);
    verifySignatureBeforeBody(request, signature, identity.secretAccessKey, now);
  }

  /**
   * Audits a call refused before it reached {@link execute} (oversize body, unknown operation, bad encoding):
   * a failed call with the error's code, attributed to the signing key's account when the key is known.
   */
  async refuse(
    envelope: CallEnvelope,
    event: { name: string; eventSource: string | undefined },
    error: unknown,
  ): Promise<void> {
    const now = this.clock();
    const audit: AuditFacts = {
      operation: { name: event.name, eventSource: event.eventSource ?? 'unknown' },
      now,
      actor: undefined,
      region: undefined,
      accessKeyId: undefined,
    };
    try {
      const signature = parseSignature(envelope);
      audit.accessKeyId = signature.accessKeyId;
      audit.region = signature.region;
      if (event.eventSource === undefined) audit.operation.eventSource = `${signature.service}.amazonaws.com`;
      audit.actor = (await this.access.resolveKey(signature.accessKeyId, now)).actor;
    } catch {
      // An unsigned call or an unknown key: the record names what it can.
    }
    await this.audit
      .append(this.db, this.entry(envelope, audit, error, undefined))
      .catch((auditError: unknown) =>
        this.logger.error(
          { err: auditError, requestId: envelope.requestId },
          'audit record of a refused call lost',
        ),
      );
  }

  /**
   * Audits a refusal before anyone is authenticated (a throttled console sign-in) through the aggregator, so a
   * flood from one address becomes a few records and a summary.
   */
  async refuseUnauthenticated(
    envelope: CallEnvelope,
    event: { name: string; eventSource: string },
    error: unknown,
  ): Promise<void> {
    const now = this.clock();
    await this.recordFailureSummaries(now);
    const audit: AuditFacts = {
      operation: event,
      now,
      actor: undefined,
      region: undefined,
      accessKeyId: undefined,
    };
    const entry = this.entry(envelope, audit, error, undefined);
    const failure = { errorCode: entry.errorCode ?? 'InternalFailure', eventName: entry.eventName };
    if (!this.failures.admit(envelope.sourceIp, now, failure)) return;
    await this.audit
      .append(this.db, entry)
      .catch((auditError: unknown) =>
        this.logger.error(
          { err: auditError, requestId: envelope.requestId },
          'audit record of a refusal lost',
        ),
      );
  }

  /**
   * Agent registration: no SigV4 key; the call names its account from its input (`identify`) and checks the
   * activation code itself inside the transaction. Audited like any call; the identity counts as known only
   * once the code was accepted.
   */
  private async executeWithActivationCode(
    envelope: CallEnvelope,
    operation: Operation,
    readRequest: () => OperationRequest,
    audit: AuditFacts,
  ): Promise<unknown> {
    const call = operation.prepare(readRequest());
    audit.call = call;
    if (call.identify === undefined) throw new Error(`${operation.name} cannot identify its caller`);
    const { actor, region } = await call.identify(this.db);
    audit.actor = actor;
    audit.region = region;
    const resourceArn = call.resource({ accountId: actor.accountId, region });
    audit.resourceArn = resourceArn;
    const { result, position } = await inRetryingTransaction(this.db, async (tx) => {
      const result = await call.run({
        actor,
        accountId: actor.accountId,
        region,
        requestId: envelope.requestId,
        now: audit.now,
        tx,
      });
      audit.verified = true;
      const position = await this.audit.append(tx, this.entry(envelope, audit, undefined, result));
      return { result, position };
    });
    this.anchor(position, envelope.requestId);
    return result;
  }

  /** Writes one record for each closed window of counted unauthenticated failures. */
  private async recordFailureSummaries(now: Date): Promise<void> {
    for (const summary of this.failures.takeClosed(now)) {
      await this.audit
        .append(this.db, failureSummaryEntry(summary))
        .catch((auditError: unknown) =>
          this.logger.error({ err: auditError, summary }, 'audit summary of unauthenticated failures lost'),
        );
    }
  }

  /** Anchors a committed record outside the database; a failure to do so is logged, never the call's failure. */
  private anchor(position: Awaited<ReturnType<AuditStore['append']>>, requestId: string): void {
    try {
      this.audit.committed(position);
    } catch (error) {
      this.logger.error({ err: error, requestId }, 'could not anchor the audit chain head');
    }
  }

  private entry(envelope: CallEnvelope, facts: AuditFacts, error: unknown, result: unknown): AuditEntry {
    const wire = error === undefined ? undefined : wireErrorOf(error);
    const actor = facts.actor;
    const verified = facts.verified === true && actor !== undefined;
    const readOnly = isReadOnlyEventName(facts.operation.name);
    return {
      eventId: randomUUID(),
      requestId: envelope.requestId,
      eventTime: facts.now,
      eventSource: facts.operation.eventSource,
      eventName: facts.operation.name,
      region: facts.region,
      sourceIp: envelope.sourceIp,
      userAgent: envelope.userAgent,
      identity: {
        type: verified ? identityTypeOf(actor.principalArn) : 'Unknown',
        principalId: verified ? actor.principalId : undefined,
        arn: verified ? actor.principalArn : undefined,
        // A key that failed its signature still tells whose account was targeted: that account sees the attempt.
        accountId: actor?.accountId,
        accessKeyId: facts.accessKeyId,
        userName: verified ? actor.principalName : undefined,
      },
      readOnly,
      errorCode: wire?.exceptionName,
      errorMessage: wire?.message,
      requestParameters: compactParameters(facts.call?.requestParameters?.()),
      responseElements: error === undefined ? summarizeResponse(readOnly, result) : undefined,
      resource: facts.resourceArn === undefined ? undefined : resourceOfArn(facts.resourceArn),
      ...(facts.fromConsole === true ? { sessionCredentialFromConsole: true } : {}),
    };
  }
}

/** A credential must be scoped to the service that serves the operation. */
function requireSigningService(signature: ParsedSignature, eventSource: string): void {
  const signingName = eventSource.split('.')[0] ?? '';
  if (signature.service !== signingName) {
    throw new ApiError(
      'InvalidSignature',
      `Credential should be scoped to correct service: '${signingName}'. `,
    );
  }
}

/** What the pipeline learned about a call by the time it ends, for its audit record. */
interface AuditFacts {
  operation: Pick<Operation, 'name' | 'eventSource'>;
  now: Date;
  /** The key's owner; an authenticated caller only when `verified`. */
  actor: Actor | undefined;
  verified?: boolean;
  region: string | undefined;
  accessKeyId: string | undefined;
  call?: PreparedCall;
  resourceArn?: string;
  /** A console session's call (CloudTrail's sessionCredentialFromConsole). */
  fromConsole?: boolean;
}
