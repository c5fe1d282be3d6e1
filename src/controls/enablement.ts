/** Which controls are enabled in an account and Region, in which standards, with which parameter values. */
import { controlCatalogue, type ControlDefinition } from './catalogue.js';
import { standardCatalogue, standardsArnOf, type StandardDefinition } from './standards.js';
import type { StoredControlParameters, StoredControlSetting, StoredSubscription } from './controls-store.js';

/** The standards of the catalogue an account has enabled, and each control's status in them. */
export class ControlEnablement {
  private readonly enabledIn = new Map<string, StandardDefinition[]>();

  constructor(
    region: string,
    readonly subscriptions: readonly StoredSubscription[],
    readonly settings: readonly StoredControlSetting[],
  ) {
    const subscribed = new Set(subscriptions.map((s) => s.standardsArn));
    const disabled = new Set(
      settings.filter((s) => s.status === 'DISABLED').map((s) => `${s.standardsArn} ${s.controlId}`),
    );
    for (const standard of standardCatalogue) {
      const arn = standardsArnOf(region, standard);
      if (!subscribed.has(arn)) continue;
      for (const controlId of standard.controlIds) {
        if (disabled.has(`${arn} ${controlId}`)) continue;
        this.enabledIn.set(controlId, [...(this.enabledIn.get(controlId) ?? []), standard]);
      }
    }
  }

  /** A control is enabled when at least one enabled standard has it enabled. */
  isEnabled(controlId: string): boolean {
    return this.enabledIn.has(controlId);
  }

  /** The enabled standards in which the control is enabled. */
  standardsOf(controlId: string): StandardDefinition[] {
    return this.enabledIn.get(controlId) ?? [];
  }

  /** The status of a control within one standard (ENABLED unless someone disabled it). */
  settingOf(standardsArn: string, controlId: string): StoredControlSetting | undefined {
    return this.settings.find((s) => s.standardsArn === standardsArn && s.controlId === controlId);
  }

  enabledControls(): ControlDefinition[] {
    return controlCatalogue.filter((control) => this.isEnabled(control.id));
  }
}

/** A control's parameter values: the stored custom ones over the catalogue defaults. */
export function effectiveParameters(
  control: ControlDefinition,
  stored: StoredControlParameters | undefined,
): Record<string, number | string> {
  const values: Record<string, number | string> = {};
  for (const parameter of control.parameters) {
    const custom = stored?.parameters[parameter.name];
    const value =
      custom?.ValueType === 'CUSTOM'
        ? parameter.valueType === 'Integer'
          ? custom.Value.Integer
          : custom.Value.String
        : undefined;
    values[parameter.name] = value ?? parameter.default;
  }
  return values;
}
