/** The AWS shapes of Run Command and of Bulwark's agent delivery operations: zod inputs and output mappers. */
import { z } from 'zod';
import {
  maxConcurrencyPattern,
  maxErrorsPattern,
  targetLimits,
  toEpochSeconds,
} from '../protocols/ssm/index.js';
import {
  elapsedTime,
  outputLimits,
  pluginNameOf,
  pluginOutput,
  pluginStatuses,
  reportableStatuses,
  sendCommandLimits,
  truncateOutput,
  type Command,
  type Invocation,
  type InvocationOfCommand,
  type PluginOutcome,
} from './command-model.js';

const commandId = z.string().length(36);
const instanceId = z.string().regex(/^(i-(\w{8}|\w{17})|mi-\w{17})$/);
const parameters = z.record(z.string(), z.array(z.string()));
const nextToken = z.string().max(1024);
const filters = z
  .array(
    z.object({
      key: z.enum(['InvokedAfter', 'InvokedBefore', 'Status', 'ExecutionStage', 'DocumentName']),
      value: z.string().min(1),
    }),
  )
  .min(1)
  .max(5);

export const sendCommandSchema = z.object({
  DocumentName: z.string().min(1),
  DocumentVersion: z
    .string()
    .regex(/^(\$DEFAULT|\$LATEST|[1-9][0-9]*)$/)
    .optional(),
  DocumentHash: z.string().max(256).optional(),
  DocumentHashType: z.enum(['Sha256', 'Sha1']).optional(),
  InstanceIds: z.array(instanceId).max(sendCommandLimits.maxInstanceIds).optional(),
  Targets: z
    .array(
      z.object({
        Key: z.string().min(1).max(163),
        Values: z.array(z.string().max(256)).max(targetLimits.maxValues).optional(),
      }),
    )
    .max(targetLimits.maxTargets)
    .optional(),
  Parameters: parameters.optional(),
  TimeoutSeconds: z
    .number()
    .int()
    .min(sendCommandLimits.minTimeoutSeconds)
    .max(sendCommandLimits.maxTimeoutSeconds)
    .optional(),
  Comment: z.string().max(sendCommandLimits.maxComment).optional(),
  MaxConcurrency: z.string().regex(maxConcurrencyPattern).optional(),
  MaxErrors: z.string().regex(maxErrorsPattern).optional(),
  OutputS3Region: z.string().optional(),
  OutputS3BucketName: z.string().optional(),
  OutputS3KeyPrefix: z.string().optional(),
  ServiceRoleArn: z.string().optional(),
  NotificationConfig: z.unknown().optional(),
  CloudWatchOutputConfig: z.unknown().optional(),
  AlarmConfiguration: z.unknown().optional(),
});

export const getCommandInvocationSchema = z.object({
  CommandId: commandId,
  InstanceId: instanceId,
  PluginName: z.string().min(4).optional(),
});

export const listCommandsSchema = z.object({
  CommandId: commandId.optional(),
  InstanceId: instanceId.optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
  Filters: filters.optional(),
});

export const listCommandInvocationsSchema = listCommandsSchema.extend({
  Details: z.boolean().optional(),
});

export const cancelCommandSchema = z.object({
  CommandId: commandId,
  InstanceIds: z.array(instanceId).max(50).optional(),
});

/** `AmazonSSM.BulwarkGetPendingCommands`: the agent's poll. */
export const getPendingCommandsSchema = z.object({
  InstanceId: instanceId,
  /** The commands the agent still holds (running, or with a report not yet delivered). */
  HeldCommandIds: z.array(commandId).max(100).optional(),
  /** 0 when the agent is busy: leases are renewed and cancellations returned, nothing new delivered. */
  MaxCommands: z.number().int().min(0).max(10).optional(),
});

/** `AmazonSSM.BulwarkReportCommandResult`: one progress or final report, idempotent by ReportId. */
export const reportCommandResultSchema = z.object({
  InstanceId: instanceId,
  CommandId: commandId,
  ReportId: z.string().min(1).max(64),
  Status: z.enum(reportableStatuses),
  ResponseCode: z.number().int().optional(),
  // Agents cap output already; the hub keeps the head within SSM's limits whatever it is sent.
  StandardOutputContent: z.string().max(1_000_000).optional(),
  StandardErrorContent: z.string().max(1_000_000).optional(),
  /** Each step's outcome, for documents the agent ran step by step (epoch seconds for the times). */
  Plugins: z
    .array(
      z.object({
        Name: z.string().min(1).max(100),
        Status: z.enum(pluginStatuses),
        ResponseCode: z.number().int(),
        StandardOutputContent: z.string().max(1_000_000),
        StandardErrorContent: z.string().max(1_000_000),
        ResponseStartDateTime: z.number().optional(),
        ResponseFinishDateTime: z.number().optional(),
      }),
    )
    .max(100)
    .optional(),
});

/** The reported step outcomes in domain form. */
export function fromWirePlugins(
  plugins: z.infer<typeof reportCommandResultSchema>['Plugins'],
): PluginOutcome[] | undefined {
  return plugins?.map((p) => ({
    name: p.Name,
    status: p.Status,
    responseCode: p.ResponseCode,
    standardOutput: p.StandardOutputContent,
    standardError: p.StandardErrorContent,
    startedAt: p.ResponseStartDateTime === undefined ? undefined : new Date(p.ResponseStartDateTime * 1000),
    endedAt: p.ResponseFinishDateTime === undefined ? undefined : new Date(p.ResponseFinishDateTime * 1000),
  }));
}

/** A step's CommandPlugin Status: a skipped step shows Success with StatusDetails Skipped. */
function pluginState(
  invocation: Invocation,
  plugin: PluginOutcome,
): { Status: string; StatusDetails: string } {
  if (plugin.status === 'Skipped') return { Status: 'Success', StatusDetails: 'Skipped' };
  const details = plugin.status === invocation.status ? invocation.statusDetails : plugin.status;
  return {
    Status: plugin.status,
    StatusDetails: plugin.status === 'TimedOut' ? 'Execution Timed Out' : details,
  };
}

const iso = (date: Date | undefined): string => (date === undefined ? '' : date.toISOString());

/** `Command` as SendCommand and ListCommands return it. */
export function toWireCommand(command: Command): Record<string, unknown> {
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    ...(command.comment === undefined ? {} : { Comment: command.comment }),
    ExpiresAfter: toEpochSeconds(command.expiresAt),
    Parameters: command.parameters,
    // As sent: a command sent to Targets lists no InstanceIds (its invocations name the nodes).
    InstanceIds: command.targets === undefined ? command.instanceIds : [],
    Targets: (command.targets ?? []).map((target) => ({ Key: target.key, Values: target.values })),
    RequestedDateTime: toEpochSeconds(command.requestedAt),
    Status: command.status,
    StatusDetails: command.statusDetails,
    OutputS3Region: command.region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
    MaxConcurrency: command.maxConcurrency,
    MaxErrors: command.maxErrors,
    TargetCount: command.targetCount,
    CompletedCount: command.completedCount,
    ErrorCount: command.errorCount,
    DeliveryTimedOutCount: command.deliveryTimedOutCount,
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    TimeoutSeconds: command.timeoutSeconds,
  };
}

/** GetCommandInvocation's output. */
export function toWireGetCommandInvocation(
  { command, invocation }: InvocationOfCommand,
  pluginName?: string,
): Record<string, unknown> {
  const plugin = invocation.plugins?.find((p) => p.name === pluginName);
  if (plugin !== undefined) {
    return {
      CommandId: command.commandId,
      InstanceId: invocation.instanceId,
      Comment: command.comment ?? '',
      DocumentName: command.documentName,
      DocumentVersion: command.documentVersion,
      PluginName: plugin.name,
      ResponseCode: plugin.responseCode,
      ExecutionStartDateTime: iso(plugin.startedAt),
      ExecutionElapsedTime: elapsedTime(plugin.startedAt, plugin.endedAt),
      ExecutionEndDateTime: iso(plugin.endedAt),
      ...pluginState(invocation, plugin),
      StandardOutputContent: plugin.standardOutput,
      StandardOutputUrl: '',
      StandardErrorContent: plugin.standardError,
      StandardErrorUrl: '',
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    };
  }
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    Comment: command.comment ?? '',
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    PluginName: pluginNameOf(command.documentName),
    ResponseCode: invocation.responseCode,
    ExecutionStartDateTime: iso(invocation.startedAt),
    ExecutionElapsedTime: elapsedTime(invocation.startedAt, invocation.endedAt),
    ExecutionEndDateTime: iso(invocation.endedAt),
    Status: invocation.status,
    StatusDetails: invocation.statusDetails,
    StandardOutputContent: truncateOutput(invocation.standardOutput, outputLimits.standardOutput),
    StandardOutputUrl: '',
    StandardErrorContent: truncateOutput(invocation.standardError, outputLimits.standardError),
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
}

/** One `CommandPlugin` of ListCommandInvocations with `Details`: a step's outcome, or the whole invocation's. */
function toWireCommandPlugin(
  region: string,
  plugin: {
    name: string;
    Status: string;
    StatusDetails: string;
    responseCode: number | undefined;
    startedAt: Date | undefined;
    endedAt: Date | undefined;
    output: string;
  },
): Record<string, unknown> {
  return {
    Name: plugin.name,
    Status: plugin.Status,
    StatusDetails: plugin.StatusDetails,
    ResponseCode: plugin.responseCode,
    ...(plugin.startedAt === undefined ? {} : { ResponseStartDateTime: toEpochSeconds(plugin.startedAt) }),
    ...(plugin.endedAt === undefined ? {} : { ResponseFinishDateTime: toEpochSeconds(plugin.endedAt) }),
    Output: plugin.output,
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    OutputS3Region: region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
  };
}

/** One `CommandInvocation` of ListCommandInvocations; `details` adds `CommandPlugins` with the output head. */
export function toWireCommandInvocation(
  { command, invocation }: InvocationOfCommand,
  details: boolean,
): Record<string, unknown> {
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    InstanceName: '',
    Comment: command.comment ?? '',
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    RequestedDateTime: toEpochSeconds(invocation.requestedAt),
    Status: invocation.status,
    StatusDetails: invocation.statusDetails,
    TraceOutput: '',
    StandardOutputUrl: '',
    StandardErrorUrl: '',
    CommandPlugins: !details
      ? []
      : invocation.plugins !== undefined
        ? invocation.plugins.map((plugin) =>
            toWireCommandPlugin(command.region, {
              name: plugin.name,
              ...pluginState(invocation, plugin),
              responseCode: plugin.responseCode,
              startedAt: plugin.startedAt,
              endedAt: plugin.endedAt,
              output: pluginOutput(plugin.standardOutput, plugin.standardError),
            }),
          )
        : [
            toWireCommandPlugin(command.region, {
              name: pluginNameOf(command.documentName),
              Status: invocation.status === 'Cancelling' ? 'InProgress' : invocation.status,
              StatusDetails: invocation.statusDetails,
              responseCode: invocation.responseCode,
              startedAt: invocation.startedAt,
              endedAt: invocation.endedAt,
              output: pluginOutput(invocation.standardOutput, invocation.standardError),
            }),
          ],
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
}

/** One delivery in BulwarkGetPendingCommands' answer: what the agent needs to run the invocation. */
export function toWirePendingCommand({
  command,
  invocation,
  content,
}: InvocationOfCommand & { content: string | undefined }): Record<string, unknown> {
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    Parameters: command.parameters,
    ExecutionTimeoutSeconds: command.executionTimeoutSeconds,
    RequestedDateTime: toEpochSeconds(command.requestedAt),
    ExpiresAfter: toEpochSeconds(command.expiresAt),
    DeliveryCount: invocation.deliveryCount,
    ...(content === undefined ? {} : { Content: content }),
  };
}
