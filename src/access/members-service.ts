/** Administrator/member aggregation: the invitation state machine and who may see whose data. */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { invalidInput, notFound } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { grantsAccess, isPendingInvitation, type Membership } from './members-model.js';
import type { MembersStore } from './members-store.js';

/** An account that a batch member call could not process, and why. */
export interface UnprocessedAccount {
  AccountId: string;
  ProcessingResult: string;
}

/** Owns the member rules of Security Hub's invitation model (per account and Region). */
export class MembersService {
  constructor(private readonly store: MembersStore) {}

  /** The accounts whose data the caller may see and update: itself and its Enabled members. */
  async visibleAccountIds(db: DbExecutor, accountId: string, region: string): Promise<string[]> {
    return [accountId, ...(await this.store.enabledMemberIds(db, accountId, region))];
  }

  private async administratorOf(ctx: Ctx): Promise<Membership | undefined> {
    const relations = await this.store.listByMember(ctx.tx, ctx.accountId, ctx.region);
    return relations.find(grantsAccess);
  }

  /** CreateMembers: the caller becomes administrator of each account (status Created). */
  async createMembers(
    ctx: Ctx,
    details: readonly { AccountId: string; Email?: string | undefined }[],
  ): Promise<UnprocessedAccount[]> {
    const unprocessed: UnprocessedAccount[] = [];
    if ((await this.administratorOf(ctx)) !== undefined) {
      return details.map((d) => ({
        AccountId: d.AccountId,
        ProcessingResult: `Account ${ctx.accountId} is a member account and cannot be an administrator`,
      }));
    }
    for (const detail of details) {
      if (detail.AccountId === ctx.accountId) {
        unprocessed.push({
          AccountId: detail.AccountId,
          ProcessingResult: 'An account cannot be its own member',
        });
        continue;
      }
      const existing = await this.store.find(ctx.tx, ctx.accountId, detail.AccountId, ctx.region);
      if (existing !== undefined && existing.status !== 'Removed' && existing.status !== 'Resigned') continue;
      await this.store.save(ctx.tx, {
        administratorAccountId: ctx.accountId,
        memberAccountId: detail.AccountId,
        region: ctx.region,
        email: detail.Email ?? existing?.email,
        status: 'Created',
        invitationId: undefined,
        invitedAt: undefined,
        updatedAt: ctx.now,
      });
    }
    return unprocessed;
  }

  /** InviteMembers: sends an invitation to each created (or removed/resigned) member. */
  async inviteMembers(ctx: Ctx, accountIds: readonly string[]): Promise<UnprocessedAccount[]> {
    const unprocessed: UnprocessedAccount[] = [];
    for (const accountId of accountIds) {
      const membership = await this.store.find(ctx.tx, ctx.accountId, accountId, ctx.region);
      if (membership === undefined) {
        unprocessed.push({
          AccountId: accountId,
          ProcessingResult: 'The account is not a member; call CreateMembers first',
        });
        continue;
      }
      if (membership.status === 'Enabled') {
        unprocessed.push({
          AccountId: accountId,
          ProcessingResult: 'The account is already an associated member',
        });
        continue;
      }
      await this.store.save(ctx.tx, {
        ...membership,
        status: 'Invited',
        invitationId: randomBytes(16).toString('hex'),
        invitedAt: ctx.now,
        updatedAt: ctx.now,
      });
    }
    return unprocessed;
  }

  /** The invitations the caller has received and not answered. */
  async listInvitations(ctx: Ctx): Promise<Membership[]> {
    return (await this.store.listByMember(ctx.tx, ctx.accountId, ctx.region)).filter(isPendingInvitation);
  }

  /** AcceptAdministratorInvitation: the caller becomes an Enabled member of the inviting administrator. */
  async acceptInvitation(ctx: Ctx, administratorId: string, invitationId: string): Promise<void> {
    const membership = await this.store.find(ctx.tx, administratorId, ctx.accountId, ctx.region);
    if (
      membership === undefined ||
      !isPendingInvitation(membership) ||
      membership.invitationId !== invitationId
    ) {
      throw notFound(`Invitation ${invitationId} from account ${administratorId} was not found`);
    }
    if ((await this.administratorOf(ctx)) !== undefined) {
      throw invalidInput(
        `Account ${ctx.accountId} already has an administrator account; disassociate from it first`,
      );
    }
    const ownMembers = await this.store.listByAdministrator(ctx.tx, ctx.accountId, ctx.region);
    if (ownMembers.some((m) => m.status !== 'Removed' && m.status !== 'Resigned')) {
      throw invalidInput(
        `Account ${ctx.accountId} is an administrator account and cannot accept an invitation`,
      );
    }
    await this.store.save(ctx.tx, { ...membership, status: 'Enabled', updatedAt: ctx.now });
  }

  /** DeclineInvitations: the caller refuses the invitations of these administrators. */
  async declineInvitations(ctx: Ctx, administratorIds: readonly string[]): Promise<UnprocessedAccount[]> {
    const unprocessed: UnprocessedAccount[] = [];
    for (const administratorId of administratorIds) {
      const membership = await this.store.find(ctx.tx, administratorId, ctx.accountId, ctx.region);
      if (membership === undefined || !isPendingInvitation(membership)) {
        unprocessed.push({ AccountId: administratorId, ProcessingResult: 'No invitation from this account' });
        continue;
      }
      await this.store.save(ctx.tx, {
        ...membership,
        status: 'Resigned',
        invitationId: undefined,
        updatedAt: ctx.now,
      });
    }
    return unprocessed;
  }

  /**
   * DeleteInvitations: the current API lets an administrator withdraw invitations it sent; older clients call
   * it as the invited account to delete invitations it received. Both are honoured.
   */
  async deleteInvitations(ctx: Ctx, accountIds: readonly string[]): Promise<UnprocessedAccount[]> {
    const unprocessed: UnprocessedAccount[] = [];
    for (const accountId of accountIds) {
      const sent = await this.store.find(ctx.tx, ctx.accountId, accountId, ctx.region);
      if (sent !== undefined && isPendingInvitation(sent)) {
        await this.store.save(ctx.tx, {
          ...sent,
          status: 'Created',
          invitationId: undefined,
          updatedAt: ctx.now,
        });
        continue;
      }
      const received = await this.store.find(ctx.tx, accountId, ctx.accountId, ctx.region);
      if (received !== undefined && isPendingInvitation(received)) {
        await this.store.save(ctx.tx, {
          ...received,
          status: 'Resigned',
          invitationId: undefined,
          updatedAt: ctx.now,
        });
        continue;
      }
      unprocessed.push({ AccountId: accountId, ProcessingResult: 'No pending invitation for this account' });
    }
    return unprocessed;
  }

  /** The caller's administrator (an Enabled relationship), if any. */
  async getAdministrator(ctx: Ctx): Promise<Membership | undefined> {
    return this.administratorOf(ctx);
  }

  /** DisassociateFromAdministratorAccount: the member leaves; the administrator's record shows Resigned. */
  async disassociateFromAdministrator(ctx: Ctx): Promise<void> {
    const membership = await this.administratorOf(ctx);
    if (membership === undefined) throw notFound(`Account ${ctx.accountId} has no administrator account`);
    await this.store.save(ctx.tx, { ...membership, status: 'Resigned', updatedAt: ctx.now });
  }

  /** ListMembers: all of the caller's members, or only the Enabled ones. */
  async listMembers(ctx: Ctx, onlyAssociated: boolean): Promise<Membership[]> {
    const all = await this.store.listByAdministrator(ctx.tx, ctx.accountId, ctx.region);
    return onlyAssociated ? all.filter(grantsAccess) : all;
  }

  /** GetMembers: the named members; the others are unprocessed. */
  async getMembers(
    ctx: Ctx,
    accountIds: readonly string[],
  ): Promise<{ members: Membership[]; unprocessed: UnprocessedAccount[] }> {
    const members: Membership[] = [];
    const unprocessed: UnprocessedAccount[] = [];
    for (const accountId of accountIds) {
      const membership = await this.store.find(ctx.tx, ctx.accountId, accountId, ctx.region);
      if (membership === undefined)
        unprocessed.push({ AccountId: accountId, ProcessingResult: 'Not a member' });
      else members.push(membership);
    }
    return { members, unprocessed };
  }

  /** DisassociateMembers: the administrator drops its access (status Removed). */
  async disassociateMembers(ctx: Ctx, accountIds: readonly string[]): Promise<void> {
    for (const accountId of accountIds) {
      const membership = await this.store.find(ctx.tx, ctx.accountId, accountId, ctx.region);
      if (membership === undefined) throw notFound(`Account ${accountId} is not a member`);
      if (membership.status === 'Enabled' || membership.status === 'Invited') {
        await this.store.save(ctx.tx, {
          ...membership,
          status: 'Removed',
          invitationId: undefined,
          updatedAt: ctx.now,
        });
      }
    }
  }

  /** DeleteMembers: removes the records of members that are not associated any more. */
  async deleteMembers(ctx: Ctx, accountIds: readonly string[]): Promise<UnprocessedAccount[]> {
    const unprocessed: UnprocessedAccount[] = [];
    for (const accountId of accountIds) {
      const membership = await this.store.find(ctx.tx, ctx.accountId, accountId, ctx.region);
      if (membership === undefined) {
        unprocessed.push({ AccountId: accountId, ProcessingResult: 'Not a member' });
      } else if (grantsAccess(membership)) {
        unprocessed.push({
          AccountId: accountId,
          ProcessingResult: 'The member is associated; disassociate it first',
        });
      } else {
        await this.store.delete(ctx.tx, ctx.accountId, accountId, ctx.region);
      }
    }
    return unprocessed;
  }

  /** Whether the caller administers any account that has not left (DisableSecurityHub is refused then). */
  async hasMembers(ctx: Ctx): Promise<boolean> {
    const members = await this.store.listByAdministrator(ctx.tx, ctx.accountId, ctx.region);
    return members.some((m) => m.status === 'Enabled' || m.status === 'Invited');
  }
}
