/**
 * The standards and security-control operations (securityhub-api.md §7.2–7.3). A change that alters which
 * controls run, or how, queues a re-evaluation of the account, which also archives disabled controls' findings.
 */
import type { Ctx } from '../kernel/index.js';
import { invalidInput, notFound } from '../kernel/index.js';
import { enqueue } from '../worker/index.js';
import { controlCatalogue, findControl, type ControlDefinition } from './catalogue.js';
import type { ControlEnablement } from './enablement.js';
import { effectiveParameters } from './enablement.js';
import type { ControlEvaluator, ServiceFindingsSink } from './evaluator.js';
import { securityScoreOf, type SecurityScore } from './security-score.js';
import type { DbExecutor } from '../storage/database.js';
import {
  parseStandardsArn,
  securityControlArnOf,
  standardCatalogue,
  standardsArnOf,
  standardsControlArnOf,
  subscriptionArnOf,
  type StandardDefinition,
} from './standards.js';
import type { ControlsStore, StoredParameterValue } from './controls-store.js';

/** The job that re-evaluates every control of one account and Region. */
export const evaluateAccountJobName = 'controls-evaluate-account';

/** A subscription as the API returns it. */
export interface SubscriptionView {
  standard: StandardDefinition;
  standardsArn: string;
  subscriptionArn: string;
  standardsInput: Record<string, string>;
  status: 'READY' | 'DELETING';
}

/** One control of a standard as DescribeStandardsControls returns it. */
export interface StandardsControlView {
  control: ControlDefinition;
  standardsControlArn: string;
  status: 'ENABLED' | 'DISABLED';
  disabledReason: string | undefined;
  updatedAt: Date;
}

/** A security control of the account, as BatchGetSecurityControls returns it. */
export interface SecurityControlView {
  control: ControlDefinition;
  arn: string;
  status: 'ENABLED' | 'DISABLED';
  parameters: Record<string, StoredParameterValue>;
  lastUpdateReason: string | undefined;
}

/** A control's status in one enabled standard (a standards-control association). */
export interface AssociationView {
  control: ControlDefinition;
  standardsArn: string;
  standardsControlArn: string;
  securityControlArn: string;
  status: 'ENABLED' | 'DISABLED';
  updatedAt: Date;
  updatedReason: string | undefined;
}

/** One association an operation could not read or change. */
export interface UnprocessedAssociation {
  securityControlId: string;
  standardsArn: string;
  code: 'INVALID_INPUT' | 'RESOURCE_NOT_FOUND';
  reason: string;
}

/** A parameter value as UpdateSecurityControl receives it. */
export interface ParameterUpdate {
  ValueType: 'DEFAULT' | 'CUSTOM';
  Value?: Record<string, unknown> | undefined;
}

export class StandardsService {
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
  ) {}

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

  private enablement(ctx: Ctx): Promise<ControlEnablement> {
    return this.evaluator.enablement(ctx.tx, ctx);
  }

  private async requeue(ctx: Ctx): Promise<void> {
    await enqueue(
      ctx.tx,
      { name: evaluateAccountJobName, payload: { accountId: ctx.accountId, region: ctx.region } },
      ctx.now.getTime(),
    );
  }

  describeStandards(ctx: Ctx): { standard: StandardDefinition; standardsArn: string }[] {
    return standardCatalogue.map((standard) => ({
      standard,
      standardsArn: standardsArnOf(ctx.region, standard),
    }));
  }

  /** EnableSecurityHub: the default standards unless EnableDefaultStandards is false. */
  async hubEnabled(ctx: Ctx, options: { enableDefaultStandards: boolean }): Promise<void> {
    if (options.enableDefaultStandards) await this.enableDefaultStandards(ctx);
  }

  /** UpdateSecurityHubConfiguration changed ControlFindingGenerator: the account's controls run again. */
  async findingGeneratorChanged(ctx: Ctx): Promise<void> {
    await this.requeue(ctx);
  }

  /** DisableSecurityHub disables every standard. */
  async hubDisabled(ctx: Ctx): Promise<void> {
    for (const subscription of await this.store.subscriptions(ctx.tx, ctx)) {
      await this.store.unsubscribe(ctx.tx, ctx, subscription.standardsArn);
    }
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
    await this.requeue(ctx);
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
    await this.requeue(ctx);
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
    const enablement = await this.enablement(ctx);
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
    await this.requeue(ctx);
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

  /** ListSecurityControlDefinitions: every control, or a standard's. */
  controlDefinitions(ctx: Ctx, standardsArn: string | undefined): ControlDefinition[] {
    if (standardsArn === undefined) return [...controlCatalogue];
    const parsed = parseStandardsArn(standardsArn);
    if (parsed?.kind !== 'standards' || parsed.region !== ctx.region) {
      throw invalidInput(`StandardsArn ${standardsArn} is not a standard available in ${ctx.region}`);
    }
    return parsed.standard.controlIds.flatMap((id) => findControl(id) ?? []);
  }

  controlDefinition(controlId: string): ControlDefinition {
    const control = findControl(controlId);
    if (control === undefined) throw notFound(`Security control ${controlId} not found`);
    return control;
  }

  /** BatchGetSecurityControls: ids or ARNs; unknown ones come back as NOT_FOUND. */
  async securityControls(
    ctx: Ctx,
    ids: readonly string[],
  ): Promise<{ found: SecurityControlView[]; unprocessed: { id: string; code: string; reason: string }[] }> {
    const enablement = await this.enablement(ctx);
    const stored = new Map((await this.store.controlParameters(ctx.tx, ctx)).map((s) => [s.controlId, s]));
    const found: SecurityControlView[] = [];
    const unprocessed: { id: string; code: string; reason: string }[] = [];
    for (const id of ids) {
      const controlId = this.controlIdOf(ctx, id);
      const control = controlId === undefined ? undefined : findControl(controlId);
      if (control === undefined) {
        unprocessed.push({ id, code: 'NOT_FOUND', reason: `Security control ${id} not found` });
        continue;
      }
      const settings = stored.get(control.id);
      const values = effectiveParameters(control, settings);
      const parameters: Record<string, StoredParameterValue> = {};
      for (const definition of control.parameters) {
        const custom = settings?.parameters[definition.name]?.ValueType === 'CUSTOM';
        const value = values[definition.name];
        parameters[definition.name] = {
          ValueType: custom ? 'CUSTOM' : 'DEFAULT',
          Value: typeof value === 'number' ? { Integer: value } : { String: String(value) },
        };
      }
      found.push({
        control,
        arn: securityControlArnOf(ctx.region, ctx.accountId, control.id),
        status: enablement.isEnabled(control.id) ? 'ENABLED' : 'DISABLED',
        parameters,
        lastUpdateReason: settings?.lastUpdateReason,
      });
    }
    return { found, unprocessed };
  }

  private controlIdOf(ctx: Ctx, idOrArn: string): string | undefined {
    if (!idOrArn.startsWith('arn:')) return idOrArn;
    const prefix = securityControlArnOf(ctx.region, ctx.accountId, '');
    return idOrArn.startsWith(prefix) ? idOrArn.slice(prefix.length) : undefined;
  }

  /** UpdateSecurityControl: validates every parameter against the control's definitions, then stores them. */
  async updateSecurityControl(
    ctx: Ctx,
    controlId: string,
    updates: Record<string, ParameterUpdate>,
    reason: string | undefined,
  ): Promise<void> {
    const control = findControl(this.controlIdOf(ctx, controlId) ?? controlId);
    if (control === undefined) throw notFound(`Security control ${controlId} not found`);
    const current = (await this.store.controlParameters(ctx.tx, ctx)).find((s) => s.controlId === control.id);
    const parameters: Record<string, StoredParameterValue> = { ...(current?.parameters ?? {}) };
    for (const [name, update] of Object.entries(updates)) {
      const definition = control.parameters.find((p) => p.name === name);
      if (definition === undefined) {
        throw invalidInput(`Security control ${control.id} has no parameter ${name}`);
      }
      if (update.ValueType === 'DEFAULT') {
        if (update.Value !== undefined)
          throw invalidInput(`Parameter ${name}: Value must be absent with ValueType DEFAULT`);
        delete parameters[name];
        continue;
      }
      const value = update.Value ?? {};
      if (definition.valueType === 'Integer') {
        const integer = value['Integer'];
        if (Object.keys(value).length !== 1 || typeof integer !== 'number' || !Number.isInteger(integer)) {
          throw invalidInput(`Parameter ${name}: Value must be {"Integer": n}`);
        }
        if (integer < definition.min || integer > definition.max) {
          throw invalidInput(`Parameter ${name}: ${integer} is outside ${definition.min}..${definition.max}`);
        }
        parameters[name] = { ValueType: 'CUSTOM', Value: { Integer: integer } };
      } else {
        const text = value['String'];
        if (Object.keys(value).length !== 1 || typeof text !== 'string' || !definition.pattern.test(text)) {
          throw invalidInput(
            `Parameter ${name}: Value must be {"String": s} matching ${definition.pattern.source}`,
          );
        }
        parameters[name] = { ValueType: 'CUSTOM', Value: { String: text } };
      }
    }
    await this.store.putControlParameters(ctx.tx, ctx, {
      controlId: control.id,
      parameters,
      lastUpdateReason: reason,
      updatedAt: ctx.now,
    });
    await this.requeue(ctx);
  }

  /** The association of a control with one standard; an explanation when there is none in the caller's account. */
  private association(
    ctx: Ctx,
    enablement: ControlEnablement,
    controlId: string,
    standardsArn: string,
  ): AssociationView | { code: UnprocessedAssociation['code']; reason: string } {
    const control = findControl(controlId);
    if (control === undefined)
      return { code: 'RESOURCE_NOT_FOUND', reason: `Security control ${controlId} not found` };
    const parsed = parseStandardsArn(standardsArn);
    if (parsed?.kind !== 'standards' || parsed.region !== ctx.region) {
      return {
        code: 'INVALID_INPUT',
        reason: `${standardsArn} is not a standard available in ${ctx.region}`,
      };
    }
    const subscription = enablement.subscriptions.find((s) => s.standardsArn === standardsArn);
    if (subscription === undefined || !parsed.standard.controlIds.includes(control.id)) {
      return {
        code: 'RESOURCE_NOT_FOUND',
        reason: `${control.id} is not a control of an enabled ${standardsArn}`,
      };
    }
    const setting = enablement.settingOf(standardsArn, control.id);
    return {
      control,
      standardsArn,
      standardsControlArn: standardsControlArnOf(ctx.region, ctx.accountId, parsed.standard, control.id),
      securityControlArn: securityControlArnOf(ctx.region, ctx.accountId, control.id),
      status: setting?.status ?? 'ENABLED',
      updatedAt: setting?.updatedAt ?? subscription.subscribedAt,
      updatedReason: setting?.disabledReason,
    };
  }

  /** ListStandardsControlAssociations: the control's status in each enabled standard that holds it. */
  async controlAssociations(ctx: Ctx, controlId: string): Promise<AssociationView[]> {
    const control = findControl(this.controlIdOf(ctx, controlId) ?? controlId);
    if (control === undefined) throw notFound(`Security control ${controlId} not found`);
    const enablement = await this.enablement(ctx);
    const views: AssociationView[] = [];
    for (const subscription of enablement.subscriptions) {
      const view = this.association(ctx, enablement, control.id, subscription.standardsArn);
      if ('control' in view) views.push(view);
    }
    return views;
  }

  /** BatchGetStandardsControlAssociations. */
  async getAssociations(
    ctx: Ctx,
    ids: readonly { securityControlId: string; standardsArn: string }[],
  ): Promise<{ found: AssociationView[]; unprocessed: UnprocessedAssociation[] }> {
    const enablement = await this.enablement(ctx);
    const found: AssociationView[] = [];
    const unprocessed: UnprocessedAssociation[] = [];
    for (const id of ids) {
      const view = this.association(ctx, enablement, id.securityControlId, id.standardsArn);
      if ('control' in view) found.push(view);
      else unprocessed.push({ ...id, ...view });
    }
    return { found, unprocessed };
  }

  /** BatchUpdateStandardsControlAssociations: enables or disables controls per standard; the rest is reported. */
  async updateAssociations(
    ctx: Ctx,
    updates: readonly {
      securityControlId: string;
      standardsArn: string;
      status: 'ENABLED' | 'DISABLED';
      reason: string | undefined;
    }[],
  ): Promise<UnprocessedAssociation[]> {
    const enablement = await this.enablement(ctx);
    const unprocessed: UnprocessedAssociation[] = [];
    let changed = false;
    for (const update of updates) {
      const view = this.association(ctx, enablement, update.securityControlId, update.standardsArn);
      if (!('control' in view)) {
        unprocessed.push({
          securityControlId: update.securityControlId,
          standardsArn: update.standardsArn,
          ...view,
        });
        continue;
      }
      await this.store.putControlSetting(ctx.tx, ctx, {
        standardsArn: update.standardsArn,
        controlId: view.control.id,
        status: update.status,
        disabledReason: update.reason,
        updatedAt: ctx.now,
      });
      changed = true;
    }
    if (changed) await this.requeue(ctx);
    return unprocessed;
  }
}
