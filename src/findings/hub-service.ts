/** The hub lifecycle: enabling, describing and disabling Security Hub per account and Region. */
import type { Ctx } from '../kernel/index.js';
import { ApiError, conflict, invalidInput, notFound } from '../kernel/index.js';
import { hubArnOf } from '../protocols/securityhub/index.js';
import type { Hub, HubStore } from './hub-store.js';
import { appendEvent } from '../worker/index.js';
import { startHeldFindingsRetention } from './retention-store.js';

/** Whether an account still administers members (it may not disable its hub then). */
export interface MembershipCheck {
  hasMembers(ctx: Ctx): Promise<boolean>;
}

/** What else happens, in the same transaction, when a hub is enabled or disabled (standards, controls). */
export interface HubLifecycleListener {
  enabled(ctx: Ctx, options: { enableDefaultStandards: boolean }): Promise<void>;
  disabled(ctx: Ctx): Promise<void>;
}

/** Owns hub enablement and the "not subscribed" rule every other Security Hub call obeys. */
export class HubService {
  private readonly listeners: HubLifecycleListener[] = [];

  constructor(
    private readonly store: HubStore,
    private readonly memberships: MembershipCheck,
  ) {}

  /** Adds a listener (the composition root wires the standards capability this way). */
  listen(listener: HubLifecycleListener): void {
    this.listeners.push(listener);
  }

  async enable(
    ctx: Ctx,
    input: {
      Tags?: Record<string, string> | undefined;
      EnableDefaultStandards?: boolean | undefined;
      ControlFindingGenerator?: 'STANDARD_CONTROL' | 'SECURITY_CONTROL' | undefined;
    },
  ): Promise<void> {
    if ((await this.store.find(ctx.tx, ctx.accountId, ctx.region)) !== undefined) {
      throw conflict('Account is already subscribed to Security Hub');
    }
    const hub: Hub = {
      accountId: ctx.accountId,
      region: ctx.region,
      hubArn: hubArnOf(ctx.region, ctx.accountId),
      subscribedAt: ctx.now.toISOString(),
      autoEnableControls: true,
      controlFindingGenerator: input.ControlFindingGenerator ?? 'SECURITY_CONTROL',
    };
    await this.store.insert(ctx.tx, hub);
    if (input.Tags !== undefined) await this.store.putTags(ctx.tx, ctx.accountId, hub.hubArn, input.Tags);
    for (const listener of this.listeners) {
      await listener.enabled(ctx, { enableDefaultStandards: input.EnableDefaultStandards ?? true });
    }
  }

  /** The caller's hub; InvalidAccess when the account has not enabled Security Hub in this Region. */
  async require(ctx: Ctx): Promise<Hub> {
    const hub = await this.store.find(ctx.tx, ctx.accountId, ctx.region);
    if (hub === undefined) {
      throw new ApiError('InvalidAccess', `Account ${ctx.accountId} is not subscribed to AWS Security Hub`);
    }
    return hub;
  }

  async describe(ctx: Ctx, hubArn: string | undefined): Promise<Hub> {
    const hub = await this.require(ctx);
    if (hubArn !== undefined && hubArn !== hub.hubArn) throw notFound(`Hub ${hubArn} not found`);
    return hub;
  }

  async update(
    ctx: Ctx,
    input: {
      AutoEnableControls?: boolean | undefined;
      ControlFindingGenerator?: 'STANDARD_CONTROL' | 'SECURITY_CONTROL' | undefined;
    },
  ): Promise<void> {
    const hub = await this.require(ctx);
    const controlFindingGenerator = input.ControlFindingGenerator ?? hub.controlFindingGenerator;
    await this.store.update(ctx.tx, {
      ...hub,
      autoEnableControls: input.AutoEnableControls ?? hub.autoEnableControls,
      controlFindingGenerator,
    });
    if (controlFindingGenerator === hub.controlFindingGenerator) return;
    await appendEvent(ctx.tx, {
      type: 'HubConfigurationChanged',
      accountId: ctx.accountId,
      region: ctx.region,
      controlFindingGenerator,
    });
  }

  /** Disables the hub; findings stay until retention removes them (the held ones `retentionDays` from now), as in AWS. */
  async disable(ctx: Ctx): Promise<void> {
    const hub = await this.require(ctx);
    if (await this.memberships.hasMembers(ctx)) {
      throw invalidInput(
        `Account ${ctx.accountId} is an administrator with member accounts; disassociate and delete its members first`,
      );
    }
    await this.store.delete(ctx.tx, ctx.accountId, ctx.region);
    await startHeldFindingsRetention(ctx.tx, ctx.accountId, ctx.region, ctx.now.getTime());
    await this.store.removeAllTags(ctx.tx, hub.hubArn);
    for (const listener of this.listeners) await listener.disabled(ctx);
  }
}
