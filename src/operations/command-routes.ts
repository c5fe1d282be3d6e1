/**
 * The awsJson1_1 routes of Run Command, and of the two agent-facing operations. Those use AmazonSSM targets
 * with a `Bulwark` prefix (`AmazonSSM.BulwarkGetPendingCommands`, `AmazonSSM.BulwarkReportCommandResult`):
 * real SSM delivers commands through a separate service (ec2messages) our agent does not speak, and the
 * prefix can never clash with an SSM operation. The IAM actions (`ssm:Bulwark…`) are in every instance's
 * policy on its own instance ARN; the service also checks the caller is that instance.
 */
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import type { CommandsService } from './command-service.js';
import { commandKeyOf, invocationKeyOf } from './command-store.js';
import {
  cancelCommandSchema,
  fromWirePlugins,
  getCommandInvocationSchema,
  getPendingCommandsSchema,
  listCommandInvocationsSchema,
  listCommandsSchema,
  reportCommandResultSchema,
  sendCommandSchema,
  toWireCommand,
  toWireCommandInvocation,
  toWireGetCommandInvocation,
  toWirePendingCommand,
} from './command-wire.js';

/** X-Amz-Target operation names of the agent-facing operations (the agent names them too). */
export const agentOperationNames = {
  getPendingCommands: 'BulwarkGetPendingCommands',
  reportCommandResult: 'BulwarkReportCommandResult',
} as const;

const instanceResource = (
  scope: { accountId: string; region: string },
  input: { InstanceId: string },
): string => managedInstanceArn(scope.region, scope.accountId, input.InstanceId);

/** The output of a report or poll names no secrets; the audit keeps the ids and statuses, not the output. */
const reportAudit = (input: { InstanceId: string; CommandId: string; ReportId: string; Status: string }) => ({
  InstanceId: input.InstanceId,
  CommandId: input.CommandId,
  ReportId: input.ReportId,
  Status: input.Status,
});

/** ListCommands: newest first, paged by (requested time, command id). */
function listCommandsRoute(commands: CommandsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'ListCommands',
    schema: listCommandsSchema,
    resultKey: 'Commands',
    defaultMaxResults: 50,
    load: (ctx, { input, after, limit }) =>
      commands.listCommands(ctx, {
        commandId: input.CommandId,
        instanceId: input.InstanceId,
        filters: input.Filters ?? [],
        after,
        limit,
      }),
    keyOf: commandKeyOf,
    toWire: toWireCommand,
  });
}

/** ListCommandInvocations: newest first, paged by (requested time, command id, instance id). */
function listCommandInvocationsRoute(commands: CommandsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'ListCommandInvocations',
    schema: listCommandInvocationsSchema,
    resultKey: 'CommandInvocations',
    defaultMaxResults: 50,
    load: (ctx, { input, after, limit }) =>
      commands.listInvocations(ctx, {
        commandId: input.CommandId,
        instanceId: input.InstanceId,
        filters: input.Filters ?? [],
        after,
        limit,
      }),
    keyOf: invocationKeyOf,
    toWire: (item, input) => toWireCommandInvocation(item, input.Details ?? false),
  });
}

export function commandsRoutes(commands: CommandsService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'SendCommand',
      schema: sendCommandSchema,
      async handle(ctx, input) {
        const command = await commands.send(ctx, {
          documentName: input.DocumentName,
          documentVersion: input.DocumentVersion,
          instanceIds: input.InstanceIds,
          targets: input.Targets?.map((target) => ({ key: target.Key, values: target.Values ?? [] })),
          parameters: input.Parameters,
          timeoutSeconds: input.TimeoutSeconds,
          comment: input.Comment,
          maxConcurrency: input.MaxConcurrency,
          maxErrors: input.MaxErrors,
        });
        return { Command: toWireCommand(command) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetCommandInvocation',
      schema: getCommandInvocationSchema,
      async handle(ctx, input) {
        return toWireGetCommandInvocation(
          await commands.getInvocation(ctx, input.CommandId, input.InstanceId, input.PluginName),
          input.PluginName,
        );
      },
    }),
    listCommandsRoute(commands),
    listCommandInvocationsRoute(commands),
    awsJsonRoute(ssmService, {
      name: 'CancelCommand',
      schema: cancelCommandSchema,
      async handle(ctx, input) {
        await commands.cancel(ctx, input.CommandId, input.InstanceIds);
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: agentOperationNames.getPendingCommands,
      schema: getPendingCommandsSchema,
      resource: instanceResource,
      async handle(ctx, input) {
        const work = await commands.poll(
          ctx,
          input.InstanceId,
          input.HeldCommandIds ?? [],
          input.MaxCommands ?? 5,
        );
        return {
          Commands: work.deliveries.map(toWirePendingCommand),
          CancelCommandIds: work.cancellations,
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: agentOperationNames.reportCommandResult,
      schema: reportCommandResultSchema,
      resource: instanceResource,
      auditParameters: reportAudit,
      async handle(ctx, input) {
        const invocation = await commands.report(ctx, {
          instanceId: input.InstanceId,
          commandId: input.CommandId,
          reportId: input.ReportId,
          status: input.Status,
          responseCode: input.ResponseCode,
          standardOutput: input.StandardOutputContent,
          standardError: input.StandardErrorContent,
          plugins: fromWirePlugins(input.Plugins),
        });
        return { Status: invocation.status, StatusDetails: invocation.statusDetails };
      },
    }),
  ];
}
