/**
 * What controls evaluate: facts about managed nodes, documents and the account, read in bulk from the fleet,
 * compliance, inventory and documents capabilities (through the ports in control-sources.ts).
 */
import type { ComplianceItem, ComplianceSet } from '../compliance/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { ControlScopeKey } from './controls-store.js';

/** A managed node as the controls see it. */
export interface NodeFacts {
  instanceId: string;
  /** `arn:aws:ssm:<region>:<account>:managed-instance/<id>`. */
  arn: string;
  deregistered: boolean;
  pingStatus: string;
  lastPingAt: Date;
  agentVersion: string | undefined;
  platformName: string | undefined;
  platformVersion: string | undefined;
  ipAddress: string | undefined;
  computerName: string | undefined;
  /** The node's Patch compliance set, when it has one. */
  patchCompliance: ComplianceSet | undefined;
  /** The node's Association compliance set, when it has one. */
  associationCompliance: ComplianceSet | undefined;
  /** From the latest AWS:PatchSummary. */
  patchSummary: PatchSummaryFacts | undefined;
  /** The last time the node uploaded inventory of any type (hash-only re-uploads count). */
  inventoryReportedAt: Date | undefined;
}

/** The parts of a node's latest patch summary the controls use. */
export interface PatchSummaryFacts {
  baselineId: string;
  patchGroup: string;
  operationType: string;
  operationEndTime: Date | undefined;
  installedPendingRebootCount: number;
  /** When the install that left patches awaiting a reboot ran (LastNoRebootInstallOperationTime or the end time). */
  pendingRebootSince: Date | undefined;
  /** Every attribute of the summary row, as uploaded. */
  attributes: Record<string, string>;
}

/** A document the account owns. */
export interface DocumentFacts {
  name: string;
  arn: string;
  public: boolean;
}

/** The account-level facts. */
export interface AccountFacts {
  /** The public-sharing-permission setting is Disable. */
  publicSharingBlocked: boolean;
}

/** Where the facts come from. Undefined `instanceIds` means every node of the scope, deregistered ones included. */
export interface ControlFactsSource {
  nodes(
    db: DbExecutor,
    scope: ControlScopeKey,
    now: Date,
    instanceIds?: readonly string[],
  ): Promise<NodeFacts[]>;
  documents(db: DbExecutor, scope: ControlScopeKey): Promise<DocumentFacts[]>;
  account(db: DbExecutor, scope: ControlScopeKey): Promise<AccountFacts>;
  /** The items of a node's Patch compliance set. */
  patchItems(db: DbExecutor, scope: ControlScopeKey, instanceId: string): Promise<ComplianceItem[]>;
}
