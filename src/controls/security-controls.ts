/** Security control definitions, their status in the caller's account and their parameters. */
import type { Ctx } from '../kernel/index.js';
import { invalidInput, notFound } from '../kernel/index.js';
import { controlCatalogue, findControl, type ControlDefinition } from './catalogue.js';
import type { ControlsStore, StoredParameterValue } from './controls-store.js';
import { effectiveParameters } from './enablement.js';
import type { ControlEvaluator } from './evaluator.js';
import { requeueEvaluation } from './evaluation-queue.js';
import { parseStandardsArn, securityControlArnOf } from './standards.js';
import type { ParameterUpdate, SecurityControlView } from './standards-views.js';

/** Owns the caller's security controls and their parameter values. */
export class SecurityControls {
  constructor(
    private readonly store: ControlsStore,
    private readonly evaluator: ControlEvaluator,
  ) {}

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
    const enablement = await this.evaluator.enablement(ctx.tx, ctx);
    const stored = new Map((await this.store.controlParameters(ctx.tx, ctx)).map((s) => [s.controlId, s]));
    const found: SecurityControlView[] = [];
    const unprocessed: { id: string; code: string; reason: string }[] = [];
    for (const id of ids) {
      const controlId = controlIdOf(ctx, id);
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

  /** UpdateSecurityControl: validates every parameter against the control's definitions, then stores them. */
  async updateSecurityControl(
    ctx: Ctx,
    controlId: string,
    updates: Record<string, ParameterUpdate>,
    reason: string | undefined,
  ): Promise<void> {
    const control = findControl(controlIdOf(ctx, controlId) ?? controlId);
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
    await requeueEvaluation(ctx);
  }
}

/** The control id a BatchGetSecurityControls id or ARN names in the caller's account, undefined for another account's ARN. */
export function controlIdOf(ctx: Ctx, idOrArn: string): string | undefined {
  if (!idOrArn.startsWith('arn:')) return idOrArn;
  const prefix = securityControlArnOf(ctx.region, ctx.accountId, '');
  return idOrArn.startsWith(prefix) ? idOrArn.slice(prefix.length) : undefined;
}
