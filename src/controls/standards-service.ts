/**
 * The standards and security-control operations (securityhub-api.md §7.2–7.3). A change that alters which
 * controls run, or how, queues a re-evaluation of the account, which also archives disabled controls' findings.
 */
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { ControlDefinition } from './catalogue.js';
import { ControlAssociations } from './control-associations.js';
import type { ControlsStore } from './controls-store.js';
import type { ControlEvaluator, ServiceFindingsSink } from './evaluator.js';
import { SecurityControls } from './security-controls.js';
import { securityScoreOf, type SecurityScore } from './security-score.js';
import { StandardSubscriptions } from './standard-subscriptions.js';
import type { StandardDefinition } from './standards.js';
import type {
  AssociationView,
  ParameterUpdate,
  SecurityControlView,
  StandardsControlView,
  SubscriptionView,
  UnprocessedAssociation,
} from './standards-views.js';

/** One door to standards subscriptions, security controls, their associations and the security score. */
export class StandardsService {
  private readonly subscriptions: StandardSubscriptions;
  private readonly controls: SecurityControls;
  private readonly associations: ControlAssociations;

  constructor(
    private readonly store: ControlsStore,
    private readonly evaluator: ControlEvaluator,
    private readonly findings: ServiceFindingsSink,
    /** The accounts whose score the caller sees: its own and, for an administrator, its Enabled members. */
    private readonly visibleAccounts: (
      db: DbExecutor,
      accountId: string,
      region: string,
    ) => Promise<string[]>,
  ) {
    this.subscriptions = new StandardSubscriptions(store, evaluator);
    this.controls = new SecurityControls(store, evaluator);
    this.associations = new ControlAssociations(store, evaluator);
  }

  /** The security score of the caller's account and of each member account it administers. */
  async securityScores(ctx: Ctx): Promise<SecurityScore[]> {
    const accountIds = await this.visibleAccounts(ctx.tx, ctx.accountId, ctx.region);
    const scores: SecurityScore[] = [];
    for (const accountId of [ctx.accountId, ...accountIds.filter((id) => id !== ctx.accountId)]) {
      const scope = { accountId, region: ctx.region };
      const enablement = await this.evaluator.enablement(ctx.tx, scope);
      scores.push(await securityScoreOf(ctx.tx, scope, enablement, this.store, this.findings));
    }
    return scores;
  }

  /** EnableSecurityHub: the default standards unless EnableDefaultStandards is false. */
  async hubEnabled(ctx: Ctx, options: { enableDefaultStandards: boolean }): Promise<void> {
    if (options.enableDefaultStandards) await this.subscriptions.enableDefaultStandards(ctx);
  }

  /** DisableSecurityHub disables every standard. */
  async hubDisabled(ctx: Ctx): Promise<void> {
    for (const subscription of await this.store.subscriptions(ctx.tx, ctx)) {
      await this.store.unsubscribe(ctx.tx, ctx, subscription.standardsArn);
    }
  }

  describeStandards(ctx: Ctx): { standard: StandardDefinition; standardsArn: string }[] {
    return this.subscriptions.describeStandards(ctx);
  }

  enableDefaultStandards(ctx: Ctx): Promise<void> {
    return this.subscriptions.enableDefaultStandards(ctx);
  }

  enableStandards(
    ctx: Ctx,
    requests: readonly { standardsArn: string; standardsInput: Record<string, string> }[],
  ): Promise<SubscriptionView[]> {
    return this.subscriptions.enableStandards(ctx, requests);
  }

  disableStandards(ctx: Ctx, subscriptionArns: readonly string[]): Promise<SubscriptionView[]> {
    return this.subscriptions.disableStandards(ctx, subscriptionArns);
  }

  enabledStandards(ctx: Ctx, subscriptionArns: readonly string[] | undefined): Promise<SubscriptionView[]> {
    return this.subscriptions.enabledStandards(ctx, subscriptionArns);
  }

  standardsControls(ctx: Ctx, subscriptionArn: string): Promise<StandardsControlView[]> {
    return this.subscriptions.standardsControls(ctx, subscriptionArn);
  }

  updateStandardsControl(
    ctx: Ctx,
    controlArn: string,
    status: 'ENABLED' | 'DISABLED' | undefined,
    disabledReason: string | undefined,
  ): Promise<void> {
    return this.subscriptions.updateStandardsControl(ctx, controlArn, status, disabledReason);
  }

  controlDefinitions(ctx: Ctx, standardsArn: string | undefined): ControlDefinition[] {
    return this.controls.controlDefinitions(ctx, standardsArn);
  }

  controlDefinition(controlId: string): ControlDefinition {
    return this.controls.controlDefinition(controlId);
  }

  securityControls(
    ctx: Ctx,
    ids: readonly string[],
  ): Promise<{ found: SecurityControlView[]; unprocessed: { id: string; code: string; reason: string }[] }> {
    return this.controls.securityControls(ctx, ids);
  }

  updateSecurityControl(
    ctx: Ctx,
    controlId: string,
    updates: Record<string, ParameterUpdate>,
    reason: string | undefined,
  ): Promise<void> {
    return this.controls.updateSecurityControl(ctx, controlId, updates, reason);
  }

  controlAssociations(ctx: Ctx, controlId: string): Promise<AssociationView[]> {
    return this.associations.controlAssociations(ctx, controlId);
  }

  getAssociations(
    ctx: Ctx,
    ids: readonly { securityControlId: string; standardsArn: string }[],
  ): Promise<{ found: AssociationView[]; unprocessed: UnprocessedAssociation[] }> {
    return this.associations.getAssociations(ctx, ids);
  }

  updateAssociations(
    ctx: Ctx,
    updates: readonly {
      securityControlId: string;
      standardsArn: string;
      status: 'ENABLED' | 'DISABLED';
      reason: string | undefined;
    }[],
  ): Promise<UnprocessedAssociation[]> {
    return this.associations.updateAssociations(ctx, updates);
  }
}
