/** BatchImportFindings and Bulwark's own findings: screening, the caller-owns rule, field ownership and ingest rules. */
import type { Ctx } from '../kernel/index.js';
import { accessDenied } from '../kernel/index.js';
import { appendEvents } from '../worker/index.js';
import { validateFinding } from './asff/validate-finding.js';
import { compareAsffTimestamps } from './filters/index.js';
import { findingEvents } from './finding-events.js';
import { byIdentity } from './finding-identity.js';
import { identityKey, type FindingWrite, type FindingsStore } from './findings-store.js';
import {
  applyFieldsUpdate,
  createFinding,
  diffFindings,
  reimportFinding,
  type FindingDocument,
  type FindingFieldsUpdate,
  type StoredFinding,
} from './findings-model.js';
import { exceedsJsonBytes } from './json-size.js';
import { findCatalogProduct } from './product-catalog.js';
import { isDefaultProduct, parseProductArn } from './product-arn.js';

/** The most bytes one finding may take (AWS: 240 KB). */
export const maxFindingBytes = 240 * 1024;

/** An automation rule ready to run at ingest. */
export interface IngestRule {
  matches: (document: FindingDocument) => boolean;
  update: FindingFieldsUpdate;
  isTerminal: boolean;
}

/** Where the findings service gets the rules and product subscriptions it obeys. */
export interface IngestPolicy {
  /** The enabled automation rules that apply to the caller's imports, in evaluation order. */
  rulesFor(ctx: Ctx): Promise<IngestRule[]>;
  /** Whether the account has enabled imports from `productArn` (the default product is always enabled). */
  isProductEnabled(ctx: Ctx, productArn: string): Promise<boolean>;
}

/** A finding that BatchImportFindings did not store. */
export interface FailedFinding {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
}

/** The BatchImportFindings result. */
export interface ImportResult {
  SuccessCount: number;
  FailedCount: number;
  FailedFindings: FailedFinding[];
}

/** Stores imported findings under the import rules. */
export class FindingImporter {
  constructor(
    private readonly store: FindingsStore,
    private readonly policy: IngestPolicy,
  ) {}

  /** BatchImportFindings: validates each finding, stores the valid ones, reports the rest. */
  async importFindings(ctx: Ctx, rawFindings: readonly unknown[]): Promise<ImportResult> {
    const { valid, failed } = screenFindings(rawFindings);
    assertCallerOwns(ctx, valid);
    const accepted: FindingDocument[] = [];
    const productChecks = new Map<string, boolean>();
    for (const finding of valid) {
      let enabled = productChecks.get(finding.ProductArn);
      if (enabled === undefined) {
        enabled = await this.policy.isProductEnabled(ctx, finding.ProductArn);
        productChecks.set(finding.ProductArn, enabled);
      }
      if (enabled) accepted.push(finding);
      else {
        failed.push({
          Id: finding.Id,
          ErrorCode: 'InvalidAccess',
          ErrorMessage: `Import of findings from product ${finding.ProductArn} is not enabled for account ${ctx.accountId}; call EnableImportFindingsForProduct first`,
        });
      }
    }
    await this.storeImported(ctx, accepted);
    return { SuccessCount: accepted.length, FailedCount: failed.length, FailedFindings: failed };
  }

  /**
   * Findings Bulwark produces itself (control and patch findings): validated like any import but exempt from the
   * caller and product-subscription rules, which govern outside producers. A PASSED result resolves the finding's
   * workflow, as Security Hub does for its control findings.
   */
  async importServiceFindings(ctx: Ctx, rawFindings: readonly unknown[]): Promise<void> {
    const valid = rawFindings.map((raw) => {
      const result = validateFinding(raw);
      if (!result.ok) throw new Error(`Bulwark produced an invalid finding: ${result.message}`);
      return result.finding as unknown as FindingDocument;
    });
    await this.storeImported(ctx, valid, { byService: true });
  }

  private async storeImported(
    ctx: Ctx,
    findings: readonly FindingDocument[],
    options: { byService: boolean } = { byService: false },
  ): Promise<void> {
    if (findings.length === 0) return;
    // Imports write only the caller's own findings (AwsAccountId is the caller): another account's finding with
    // the same ProductArn and Id is a different finding, never replaced.
    const existing = byIdentity(
      await this.store.findByIdentities(
        ctx.tx,
        { accountIds: [ctx.accountId], regions: [ctx.region] },
        findings.map((f) => ({ productArn: f.ProductArn, id: f.Id })),
      ),
      ctx.accountId,
    );
    const rules = await this.policy.rulesFor(ctx);
    const pending = new Map<string, FindingWrite>();
    for (const incoming of findings) {
      const key = identityKey(incoming.ProductArn, incoming.Id);
      const previousWrite = pending.get(key);
      const current: StoredFinding | undefined =
        previousWrite !== undefined
          ? {
              pk: previousWrite.pk ?? -1,
              document: previousWrite.document,
              customerUpdated: previousWrite.customerUpdated,
            }
          : existing.get(key);
      if (current !== undefined && !isNewer(incoming.UpdatedAt, current.document.UpdatedAt)) continue;
      const context = importContext(ctx, incoming.ProductArn);
      let document =
        current === undefined
          ? createFinding(incoming, context, 'adopt')
          : reimportFinding(current, incoming, context);
      let customerUpdated = current?.customerUpdated ?? 0;
      if (options.byService) document = resolvedIfPassed(document);
      for (const rule of rules) {
        if (!rule.matches(document)) continue;
        ({ document, customerUpdated } = applyFieldsUpdate(
          { pk: 0, document, customerUpdated },
          rule.update,
          ctx.now,
        ));
        if (rule.isTerminal) break;
      }
      const original = existing.get(key);
      pending.set(key, {
        pk: original?.pk,
        version: original?.version,
        region: ctx.region,
        document,
        customerUpdated,
        // Bulwark's own findings are the current state of a control or patch while ACTIVE; an import is not.
        held: options.byService && document.RecordState !== 'ARCHIVED',
        history: {
          sourceType: 'BATCH_IMPORT_FINDINGS',
          sourceIdentity: ctx.actor.principalArn,
          // a creation's changes (every field) are derived from the stored document when read
          changes: current === undefined ? undefined : diffFindings(current.document, document),
          at: ctx.now,
        },
      });
    }
    const writes = [...pending.values()];
    await this.store.write(ctx.tx, writes);
    await appendEvents(ctx.tx, findingEvents(writes), ctx.now.getTime());
  }
}

/** Splits a batch into the findings that pass the size limit and ASFF validation, and the failures of the rest. */
function screenFindings(rawFindings: readonly unknown[]): {
  valid: FindingDocument[];
  failed: FailedFinding[];
} {
  const failed: FailedFinding[] = [];
  const valid: FindingDocument[] = [];
  for (const raw of rawFindings) {
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { Id?: unknown }).Id === 'string'
        ? String((raw as { Id: string }).Id)
        : '';
    if (exceedsJsonBytes(raw, maxFindingBytes)) {
      failed.push({
        Id: id,
        ErrorCode: 'FindingSizeExceeded',
        ErrorMessage: 'Finding size exceeded 240 KB',
      });
      continue;
    }
    const result = validateFinding(raw);
    if (!result.ok) {
      failed.push({ Id: id, ErrorCode: 'InvalidInput', ErrorMessage: result.message });
      continue;
    }
    valid.push(result.finding as unknown as FindingDocument);
  }
  return { valid, failed };
}

/** Request-level rule: the caller imports only into its own account, Region and products. */
function assertCallerOwns(ctx: Ctx, findings: readonly FindingDocument[]): void {
  for (const finding of findings) {
    const arn = parseProductArn(finding.ProductArn);
    const foreignProduct =
      arn === undefined ||
      arn.region !== ctx.region ||
      (arn.accountId !== '' && arn.accountId !== ctx.accountId);
    if (foreignProduct || finding.AwsAccountId !== ctx.accountId) {
      throw accessDenied(
        `User: ${ctx.actor.principalArn} is not authorized to perform: securityhub:BatchImportFindings on resource: ${finding.ProductArn}`,
      );
    }
  }
}

/** The Region, time and product names a new or reimported finding is stamped with. */
function importContext(ctx: Ctx, productArn: string): Parameters<typeof createFinding>[1] {
  const arn = parseProductArn(productArn);
  const catalog = arn === undefined ? undefined : findCatalogProduct(arn.companyId, arn.productId);
  const defaultProduct = arn !== undefined && isDefaultProduct(arn, ctx.region, ctx.accountId);
  return {
    region: ctx.region,
    now: ctx.now,
    defaultProduct,
    productName: catalog?.productName ?? (defaultProduct ? 'Default' : (arn?.productId ?? 'Default')),
    companyName: catalog?.companyName ?? (defaultProduct ? 'Personal' : (arn?.companyId ?? 'Personal')),
  };
}

/** A PASSED finding whose workflow is open becomes RESOLVED (SUPPRESSED stays as the user left it). */
function resolvedIfPassed(document: FindingDocument): FindingDocument {
  const status = document.Workflow?.Status;
  if (document.Compliance?.Status !== 'PASSED' || status === 'RESOLVED' || status === 'SUPPRESSED')
    return document;
  return { ...document, Workflow: { ...document.Workflow, Status: 'RESOLVED' }, WorkflowState: 'RESOLVED' };
}

function isNewer(incoming: string, stored: string): boolean {
  return compareAsffTimestamps(incoming, stored) > 0;
}
