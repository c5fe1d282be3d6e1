/** Standards-control associations: a security control's status in each enabled standard that holds it. */
import type { Ctx } from '../kernel/index.js';
import { notFound } from '../kernel/index.js';
import { findControl } from './catalogue.js';
import type { ControlsStore } from './controls-store.js';
import type { ControlEnablement } from './enablement.js';
import type { ControlEvaluator } from './evaluator.js';
import { requeueEvaluation } from './evaluation-queue.js';
import { controlIdOf } from './security-controls.js';
import { parseStandardsArn, securityControlArnOf, standardsControlArnOf } from './standards.js';
import type { AssociationView, UnprocessedAssociation } from './standards-views.js';

/** Reads and changes the associations of the caller's controls with its enabled standards. */
export class ControlAssociations {
  constructor(
    private readonly store: ControlsStore,
    private readonly evaluator: ControlEvaluator,
  ) {}

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
    const control = findControl(controlIdOf(ctx, controlId) ?? controlId);
    if (control === undefined) throw notFound(`Security control ${controlId} not found`);
    const enablement = await this.evaluator.enablement(ctx.tx, ctx);
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
    const enablement = await this.evaluator.enablement(ctx.tx, ctx);
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
    const enablement = await this.evaluator.enablement(ctx.tx, ctx);
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
    if (changed) await requeueEvaluation(ctx);
    return unprocessed;
  }
}
