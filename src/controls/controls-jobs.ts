/**
 * When controls run: change-triggered from the outbox (within a dispatcher round of the change), and on the
 * periodic sweep over every account with Security Hub enabled; a settings change queues one account's run.
 */
import { enqueue, type EventSubscriber, type JobDefinition } from '../worker/index.js';
import type { ControlEvaluator, HubDirectory } from './evaluator.js';
import type { PatchFindings } from './patch-findings.js';
import { evaluateAccountJobName } from './evaluation-queue.js';

/** Evaluates the controls an event's change can affect, and refreshes patch findings after a scan. */
export function controlEvaluationSubscriber(
  evaluator: ControlEvaluator,
  patchFindings: PatchFindings,
): EventSubscriber {
  return {
    name: 'controls-evaluation',
    events: [
      'InstanceRegistered',
      'InstanceInformationUpdated',
      'InstanceDeregistered',
      'InventoryChanged',
      'ComplianceChanged',
      'DocumentChanged',
      'DocumentPermissionChanged',
      'ServiceSettingChanged',
      'HubConfigurationChanged',
    ],
    handle: async (ctx, event) => {
      const scope = { accountId: event.accountId, region: event.region };
      switch (event.type) {
        case 'InstanceRegistered':
        case 'InstanceInformationUpdated':
          await evaluator.evaluate(ctx.tx, scope, ctx.now, {
            kind: 'nodes',
            instanceIds: [event.instanceId],
          });
          return;
        case 'InstanceDeregistered':
          await evaluator.evaluate(ctx.tx, scope, ctx.now, {
            kind: 'nodes',
            instanceIds: [event.instanceId],
          });
          await patchFindings.refresh(ctx.tx, scope, event.instanceId, ctx.now);
          return;
        case 'InventoryChanged':
          await evaluator.evaluate(ctx.tx, scope, ctx.now, {
            kind: 'nodes',
            instanceIds: [event.instanceId],
          });
          if (event.typeNames.includes('AWS:PatchSummary')) {
            await patchFindings.refresh(ctx.tx, scope, event.instanceId, ctx.now);
          }
          return;
        case 'ComplianceChanged':
          if (event.resourceType !== 'ManagedInstance') return;
          await evaluator.evaluate(ctx.tx, scope, ctx.now, {
            kind: 'nodes',
            instanceIds: [event.resourceId],
          });
          if (event.complianceType === 'Patch') {
            await patchFindings.refresh(ctx.tx, scope, event.resourceId, ctx.now);
          }
          return;
        case 'DocumentChanged':
        case 'DocumentPermissionChanged':
          await evaluator.evaluate(ctx.tx, scope, ctx.now, { kind: 'documents' });
          return;
        case 'ServiceSettingChanged':
          await evaluator.evaluate(ctx.tx, scope, ctx.now, { kind: 'account' });
          return;
        case 'HubConfigurationChanged':
          // The whole account is rewritten by its own job, outside this dispatcher round.
          await enqueue(ctx.tx, { name: evaluateAccountJobName, payload: scope }, ctx.now.getTime());
          return;
        default:
          return;
      }
    },
  };
}

/** The payload of a one-account evaluation. */
interface AccountPayload {
  accountId: string;
  region: string;
}

/** Re-evaluates every control of one account (queued by standards and control settings changes). */
export function evaluateAccountJob(evaluator: ControlEvaluator): JobDefinition<AccountPayload> {
  return {
    name: evaluateAccountJobName,
    handle: async (ctx, payload) => {
      await ctx.db.transaction().execute((tx) =>
        evaluator.evaluate(tx, { accountId: payload.accountId, region: payload.region }, ctx.now(), {
          kind: 'all',
        }),
      );
    },
  };
}

/** The periodic sweep: every control of every account with a hub, one transaction per account and Region. */
export function controlsSweepJob(
  evaluator: ControlEvaluator,
  hubs: HubDirectory,
  everyMs: number,
): JobDefinition {
  return {
    name: 'controls-sweep',
    every: everyMs,
    handle: async (ctx) => {
      for (const scope of await hubs.scopes(ctx.db)) {
        if (ctx.signal.aborted) return;
        await ctx.db.transaction().execute((tx) => evaluator.evaluate(tx, scope, ctx.now(), { kind: 'all' }));
      }
    },
  };
}
