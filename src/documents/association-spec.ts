/** What an association version says: CreateAssociation/UpdateAssociation input validated into a spec, and when it runs. */
import type { Ctx } from '../kernel/index.js';
import {
  ScheduleExpressionError,
  parseAssociationSchedule,
  ssmError,
  type ScheduleExpression,
} from '../protocols/ssm/index.js';
import { nextScheduledRun } from './association-runs.js';
import { checkParameters } from './document-parameters.js';
import { parseDocumentReference } from './document-reference.js';
import type { DocumentsService } from './documents-service.js';
import type { AssociationComplianceSeverity, AssociationSpec, AssociationTarget } from './documents-model.js';

/** What associations need to know of managed nodes: their tags, or undefined for a node the account doesn't have. */
export interface InstanceDirectory {
  tagsOf(ctx: Ctx, instanceId: string): Promise<Record<string, string> | undefined>;
}

/** What validating a spec reads: the documents it runs and the managed nodes it names. */
export interface SpecSources {
  documents: DocumentsService;
  instances: InstanceDirectory | undefined;
}

/** What CreateAssociation / UpdateAssociation may set (wire members, in domain form). */
export interface AssociationInput {
  name?: string | undefined;
  documentVersion?: string | undefined;
  instanceId?: string | undefined;
  targets?: AssociationTarget[] | undefined;
  parameters?: Record<string, string[]> | undefined;
  scheduleExpression?: string | undefined;
  scheduleOffset?: number | undefined;
  associationName?: string | undefined;
  complianceSeverity?: AssociationComplianceSeverity | undefined;
  syncCompliance?: 'AUTO' | 'MANUAL' | undefined;
  maxConcurrency?: string | undefined;
  maxErrors?: string | undefined;
  applyOnlyAtCronInterval?: boolean | undefined;
  outputLocation?: unknown;
  calendarNames?: string[] | undefined;
  targetLocations?: unknown;
  targetMaps?: unknown;
  duration?: number | undefined;
  automationTargetParameterName?: string | undefined;
}

const targetKeyPattern =
  /^(InstanceIds|tag:.{1,128}|tag-key|resource-groups:Name|resource-groups:ResourceTypeFilters|ParameterValues)$/;
/** A managed node id, or `*` in an InstanceIds target. */
export const instanceIdPattern = /^(\*|mi-\w{17}|i-(\w{8}|\w{17}))$/;

/** Validates `input` over `base` (UpdateAssociation) into a complete spec. */
export async function buildAssociationSpec(
  ctx: Ctx,
  sources: SpecSources,
  input: AssociationInput,
  base: AssociationSpec | undefined,
): Promise<AssociationSpec> {
  const pick = <K extends keyof AssociationInput>(
    key: K,
    baseValue: AssociationInput[K],
  ): AssociationInput[K] => (input[key] === undefined ? baseValue : input[key]);
  const nameAsGiven = input.name ?? base?.nameAsGiven ?? '';
  const documentVersion =
    input.documentVersion ??
    (input.name !== undefined && base !== undefined ? '$DEFAULT' : base?.documentVersion) ??
    '$DEFAULT';
  const { document, version } = await sources.documents.resolve(ctx, nameAsGiven, { documentVersion });
  if (!['Command', 'Policy', 'Automation'].includes(document.documentType)) {
    throw ssmError(
      'InvalidDocument',
      `Document ${nameAsGiven} of type ${document.documentType} can't be associated.`,
    );
  }
  const key = parseDocumentReference(nameAsGiven, ctx);
  const instanceId = base?.instanceId ?? input.instanceId;
  const targets = pick('targets', base?.targets);
  if (
    instanceId === undefined &&
    (targets === undefined || targets.length === 0) &&
    input.targetMaps === undefined
  ) {
    throw ssmError('InvalidTarget', 'Specify Targets (or the legacy InstanceId) for the association.');
  }
  if (instanceId !== undefined) {
    if (input.targets !== undefined)
      throw ssmError('InvalidTarget', "InstanceId and Targets can't be used together.");
    if (!instanceIdPattern.test(instanceId) || instanceId === '*')
      throw ssmError('InvalidInstanceId', `Invalid instance id ${instanceId}.`);
    // The legacy form names one instance: it must be the caller's (another account's does not exist for it).
    if (base === undefined && sources.instances !== undefined) {
      if ((await sources.instances.tagsOf(ctx, instanceId)) === undefined)
        throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    }
    const notWithInstanceId = (
      ['associationName', 'maxErrors', 'maxConcurrency', 'outputLocation', 'scheduleExpression'] as const
    ).filter((k) => input[k] !== undefined);
    if (base === undefined && input.documentVersion !== undefined)
      notWithInstanceId.unshift('documentVersion' as never);
    if (notWithInstanceId.length > 0) {
      throw ssmError(
        'ValidationException',
        `InstanceId can't be used with ${notWithInstanceId.join(', ')}; use Targets instead.`,
      );
    }
  }
  if (targets !== undefined && input.targetMaps !== undefined) {
    throw ssmError('ValidationException', "Targets and TargetMaps can't be used together.");
  }
  for (const target of targets ?? []) {
    if (!targetKeyPattern.test(target.key))
      throw ssmError('InvalidTarget', `Target key ${target.key} is not supported.`);
    if (target.key !== 'tag-key' && target.values.length === 0)
      throw ssmError('InvalidTarget', `Target ${target.key} needs values.`);
    if (target.key === 'InstanceIds') {
      const bad = target.values.find((v) => !instanceIdPattern.test(v));
      if (bad !== undefined)
        throw ssmError('InvalidTarget', `Target InstanceIds value ${bad} is not a managed node id or *.`);
    }
  }
  const parameters = pick(
    'parameters',
    input.name !== undefined && base !== undefined && input.name !== base.nameAsGiven
      ? undefined
      : base?.parameters,
  );
  const problem = checkParameters(version.parameters, parameters ?? {});
  if (problem !== undefined) throw ssmError('InvalidParameters', problem);
  const scheduleExpression = pick('scheduleExpression', base?.scheduleExpression);
  const applyOnlyAtCronInterval = input.applyOnlyAtCronInterval ?? base?.applyOnlyAtCronInterval ?? false;
  const scheduleOffset = pick('scheduleOffset', base?.scheduleOffset);
  const schedule = scheduleExpression === undefined ? undefined : parseSchedule(scheduleExpression, ctx.now);
  if (applyOnlyAtCronInterval && schedule?.kind !== 'cron') {
    throw ssmError('InvalidSchedule', 'ApplyOnlyAtCronInterval needs a cron schedule expression.');
  }
  if (scheduleOffset !== undefined && (schedule?.kind !== 'cron' || !applyOnlyAtCronInterval)) {
    throw ssmError(
      'ValidationException',
      'ScheduleOffset needs a cron schedule and ApplyOnlyAtCronInterval.',
    );
  }
  const duration = pick('duration', base?.duration);
  if (duration !== undefined && !applyOnlyAtCronInterval) {
    throw ssmError('ValidationException', 'Duration needs ApplyOnlyAtCronInterval.');
  }
  const optional = {
    instanceId,
    targets,
    parameters,
    scheduleExpression,
    scheduleOffset,
    associationName: pick('associationName', base?.associationName),
    complianceSeverity: pick('complianceSeverity', base?.complianceSeverity),
    syncCompliance: pick('syncCompliance', base?.syncCompliance),
    maxConcurrency: pick('maxConcurrency', base?.maxConcurrency),
    maxErrors: pick('maxErrors', base?.maxErrors),
    outputLocation: pick('outputLocation', base?.outputLocation),
    calendarNames: pick('calendarNames', base?.calendarNames),
    targetLocations: pick('targetLocations', base?.targetLocations),
    targetMaps: pick('targetMaps', base?.targetMaps),
    duration,
    automationTargetParameterName: pick('automationTargetParameterName', base?.automationTargetParameterName),
  };
  const spec: AssociationSpec = {
    documentName: key.name,
    documentOwner: key.owner,
    nameAsGiven,
    documentVersion,
    applyOnlyAtCronInterval,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) (spec as unknown as Record<string, unknown>)[k] = v;
  }
  return spec;
}

function parseSchedule(expression: string, now: Date): ScheduleExpression {
  try {
    return parseAssociationSchedule(expression, now);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw ssmError('InvalidSchedule', error.message);
    throw error;
  }
}

/** When a new association version first runs: on create/update unless ApplyOnlyAtCronInterval, then on their schedule. */
export function firstRun(spec: AssociationSpec, now: Date): Date | undefined {
  if (!spec.applyOnlyAtCronInterval) return now;
  return spec.scheduleExpression === undefined ? undefined : nextScheduled(spec, now, now);
}

export function nextScheduled(spec: AssociationSpec, after: Date, anchor: Date): Date | undefined {
  try {
    return nextScheduledRun(spec, after, anchor);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw ssmError('InvalidSchedule', error.message);
    throw error;
  }
}
