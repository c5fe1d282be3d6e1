/** Enabling, disabling and listing standards, and the status of each control within an enabled standard. */
import type { Ctx } from '../kernel/index.js';
import { invalidInput, notFound } from '../kernel/index.js';
import { findControl } from './catalogue.js';
import type { ControlsStore } from './controls-store.js';
import type { ControlEvaluator } from './evaluator.js';
import { requeueEvaluation } from './evaluation-queue.js';
import {
  parseStandardsArn,
  standardCatalogue,
  standardsArnOf,
  standardsControlArnOf,
  subscriptionArnOf,
  type StandardDefinition,
} from './standards.js';
import type { StandardsControlView, SubscriptionView } from './standards-views.js';

/** Owns the caller's standards subscriptions and per-standard control settings. */
export class StandardSubscriptions {
  constructor(
    private readonly store: ControlsStore,
    private readonly evaluator: ControlEvaluator,
  ) {}

  describeStandards(ctx: Ctx): { standard: StandardDefinition; standardsArn: string }[] {
    return standardCatalogue.map((standard) => ({
      standard,
      standardsArn: standardsArnOf(ctx.region, standard),
    }));
  }

  /** Enables the default standards. */
  async enableDefaultStandards(ctx: Ctx): Promise<void> {
    await this.enableStandards(
      ctx,
      standardCatalogue
        .filter((standard) => standard.enabledByDefault)
        .map((standard) => ({ standardsArn: standardsArnOf(ctx.region, standard), standardsInput: {} })),
    );
  }

  async enableStandards(
    ctx: Ctx,
    requests: readonly { standardsArn: string; standardsInput: Record<string, string> }[],
  ): Promise<SubscriptionView[]> {
    const standards = requests.map((request) => {
      const parsed = parseStandardsArn(request.standardsArn);
      if (parsed?.kind !== 'standards' || parsed.region !== ctx.region) {
        throw invalidInput(
          `StandardsArn ${request.standardsArn} is not a standard available in ${ctx.region}`,
        );
      }
      return { standard: parsed.standard, request };
    });
    for (const { standard, request } of standards) {
      await this.store.subscribe(ctx.tx, ctx, {
        standardsArn: standardsArnOf(ctx.region, standard),
        standardsInput: request.standardsInput,
        subscribedAt: ctx.now,
        knownControlIds: standard.controlIds,
      });
    }
    await requeueEvaluation(ctx);
    const stored = new Map((await this.store.subscriptions(ctx.tx, ctx)).map((s) => [s.standardsArn, s]));
    return standards.map(({ standard }) =>
      this.view(
        ctx,
        standard,
        stored.get(standardsArnOf(ctx.region, standard))?.standardsInput ?? {},
        'READY',
      ),
    );
  }

  async disableStandards(ctx: Ctx, subscriptionArns: readonly string[]): Promise<SubscriptionView[]> {
    const subscribed = new Map((await this.store.subscriptions(ctx.tx, ctx)).map((s) => [s.standardsArn, s]));
    const targets = subscriptionArns.map((arn) => {
      const parsed = parseStandardsArn(arn);
      const standardsArn = parsed === undefined ? undefined : standardsArnOf(ctx.region, parsed.standard);
      if (
        parsed?.kind !== 'subscription' ||
        parsed.accountId !== ctx.accountId ||
        parsed.region !== ctx.region ||
        standardsArn === undefined ||
        !subscribed.has(standardsArn)
      ) {
        throw invalidInput(
          `StandardsSubscriptionArn ${arn} is not a subscription of account ${ctx.accountId}`,
        );
      }
      return { standard: parsed.standard, standardsArn };
    });
    for (const target of targets) await this.store.unsubscribe(ctx.tx, ctx, target.standardsArn);
    await requeueEvaluation(ctx);
    return targets.map((target) =>
      this.view(ctx, target.standard, subscribed.get(target.standardsArn)?.standardsInput ?? {}, 'DELETING'),
    );
  }

  async enabledStandards(
    ctx: Ctx,
    subscriptionArns: readonly string[] | undefined,
  ): Promise<SubscriptionView[]> {
    const views = (await this.store.subscriptions(ctx.tx, ctx)).flatMap((subscription) => {
      const standard = parseStandardsArn(subscription.standardsArn)?.standard;
      return standard === undefined ? [] : [this.view(ctx, standard, subscription.standardsInput, 'READY')];
    });
    if (subscriptionArns === undefined || subscriptionArns.length === 0) return views;
    return views.filter((view) => subscriptionArns.includes(view.subscriptionArn));
  }

  private view(
    ctx: Ctx,
    standard: StandardDefinition,
    standardsInput: Record<string, string>,
    status: SubscriptionView['status'],
  ): SubscriptionView {
    return {
      standard,
      standardsArn: standardsArnOf(ctx.region, standard),
      subscriptionArn: subscriptionArnOf(ctx.region, ctx.accountId, standard),
      standardsInput,
      status,
    };
  }

  /** The controls of one enabled standard; ResourceNotFound when the subscription is not the caller's. */
  async standardsControls(ctx: Ctx, subscriptionArn: string): Promise<StandardsControlView[]> {
    const standard = await this.subscribedStandard(ctx, subscriptionArn, 'subscription');
    const enablement = await this.evaluator.enablement(ctx.tx, ctx);
    const standardsArn = standardsArnOf(ctx.region, standard);
    const subscribedAt =
      enablement.subscriptions.find((s) => s.standardsArn === standardsArn)?.subscribedAt ?? ctx.now;
    return standard.controlIds.flatMap((controlId) => {
      const control = findControl(controlId);
      if (control === undefined) return [];
      const setting = enablement.settingOf(standardsArn, controlId);
      return [
        {
          control,
          standardsControlArn: standardsControlArnOf(ctx.region, ctx.accountId, standard, controlId),
          status: setting?.status ?? 'ENABLED',
          disabledReason: setting?.disabledReason,
          updatedAt: setting?.updatedAt ?? subscribedAt,
        },
      ];
    });
  }

  async updateStandardsControl(
    ctx: Ctx,
    controlArn: string,
    status: 'ENABLED' | 'DISABLED' | undefined,
    disabledReason: string | undefined,
  ): Promise<void> {
    const parsed = parseStandardsArn(controlArn);
    const standard = await this.subscribedStandard(ctx, controlArn, 'control');
    const controlId = parsed?.controlId ?? '';
    if (!standard.controlIds.includes(controlId)) throw notFound(`Control ${controlArn} not found`);
    if (status === undefined) return;
    if (status === 'DISABLED' && (disabledReason === undefined || disabledReason.trim() === '')) {
      throw invalidInput('DisabledReason is required when ControlStatus is DISABLED');
    }
    await this.store.putControlSetting(ctx.tx, ctx, {
      standardsArn: standardsArnOf(ctx.region, standard),
      controlId,
      status,
      disabledReason: status === 'DISABLED' ? disabledReason : undefined,
      updatedAt: ctx.now,
    });
    await requeueEvaluation(ctx);
  }

  private async subscribedStandard(
    ctx: Ctx,
    arn: string,
    kind: 'subscription' | 'control',
  ): Promise<StandardDefinition> {
    const parsed = parseStandardsArn(arn);
    const missing = () =>
      notFound(
        kind === 'subscription' ? `Standards subscription ${arn} not found` : `Control ${arn} not found`,
      );
    if (parsed?.kind !== kind || parsed.accountId !== ctx.accountId || parsed.region !== ctx.region)
      throw missing();
    const subscribed = await this.store.subscriptions(ctx.tx, ctx);
    if (!subscribed.some((s) => s.standardsArn === standardsArnOf(ctx.region, parsed.standard)))
      throw missing();
    return parsed.standard;
  }
}
