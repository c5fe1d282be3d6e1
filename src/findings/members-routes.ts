/** The restJson1 routes of Security Hub's administrator/member operations, including the deprecated `master` aliases. */
import {
  queryInteger,
  queryString,
  securityHubOperation,
  securityHubPageOf,
  withNextToken,
} from '../protocols/securityhub/index.js';
import { z } from 'zod';
import type { Membership, MembersService } from '../access/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { HubService } from './hub-service.js';
import { nextTokenSchema } from './findings-wire.js';

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');
const accountIdsSchema = z.object({ AccountIds: z.array(accountId).min(1).max(50) });
const pagingSchema = z.object({
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextTokenSchema,
});

const createMembersSchema = z.object({
  AccountDetails: z
    .array(z.strictObject({ AccountId: accountId, Email: z.string().email().max(256).optional() }))
    .min(1)
    .max(50),
});
const acceptSchema = z.object({ AdministratorId: accountId, InvitationId: z.string().min(1).max(64) });
const acceptMasterSchema = z.object({ MasterId: accountId, InvitationId: z.string().min(1).max(64) });

function toWireMember(membership: Membership): Record<string, unknown> {
  return {
    AccountId: membership.memberAccountId,
    ...(membership.email === undefined ? {} : { Email: membership.email }),
    MasterId: membership.administratorAccountId,
    AdministratorId: membership.administratorAccountId,
    MemberStatus: membership.status,
    ...(membership.invitedAt === undefined ? {} : { InvitedAt: membership.invitedAt.toISOString() }),
    UpdatedAt: membership.updatedAt.toISOString(),
  };
}

function toWireInvitation(membership: Membership): Record<string, unknown> {
  return {
    AccountId: membership.administratorAccountId,
    ...(membership.invitationId === undefined ? {} : { InvitationId: membership.invitationId }),
    ...(membership.invitedAt === undefined ? {} : { InvitedAt: membership.invitedAt.toISOString() }),
    MemberStatus: membership.status,
  };
}

function readBoolean(query: URLSearchParams, name: string): boolean | string | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  return text === 'true' ? true : text === 'false' ? false : text;
}

/** Routes for CreateMembers … DisassociateFromMasterAccount. */
export function membersRoutes(hub: HubService, members: MembersService): RestRoute[] {
  return [
    ...memberCreationRoutes(hub, members),
    ...memberRoutes(hub, members),
    ...invitationRoutes(hub, members),
    ...administratorRoutes(hub, members),
  ];
}

/** The administrator adds members: CreateMembers and InviteMembers. */
function memberCreationRoutes(hub: HubService, members: MembersService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/members',
      operation: securityHubOperation(hub, {
        name: 'CreateMembers',
        schema: createMembersSchema,
        handle: async (ctx, input) => ({
          UnprocessedAccounts: await members.createMembers(ctx, input.AccountDetails),
        }),
      }),
    },
    {
      method: 'POST',
      path: '/members/invite',
      operation: securityHubOperation(hub, {
        name: 'InviteMembers',
        schema: accountIdsSchema,
        handle: async (ctx, input) => ({
          UnprocessedAccounts: await members.inviteMembers(ctx, input.AccountIds),
        }),
      }),
    },
  ];
}

/** The administrator's view of its members: ListMembers, GetMembers, DisassociateMembers and DeleteMembers. */
function memberRoutes(hub: HubService, members: MembersService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/members',
      operation: securityHubOperation(hub, {
        name: 'ListMembers',
        schema: pagingSchema.extend({ OnlyAssociated: z.boolean().optional() }),
        input: (request) => ({
          OnlyAssociated: readBoolean(request.query, 'OnlyAssociated'),
          MaxResults: queryInteger(request.query, 'MaxResults'),
          NextToken: queryString(request.query, 'NextToken'),
        }),
        handle: async (ctx, input) => {
          const all = await members.listMembers(ctx, input.OnlyAssociated ?? true);
          const page = securityHubPageOf(
            all,
            { nextToken: input.NextToken, maxResults: input.MaxResults },
            input.OnlyAssociated ?? true,
            50,
          );
          return withNextToken({ Members: page.items.map(toWireMember) }, page.nextToken);
        },
      }),
    },
    {
      method: 'POST',
      path: '/members/get',
      operation: securityHubOperation(hub, {
        name: 'GetMembers',
        schema: accountIdsSchema,
        handle: async (ctx, input) => {
          const result = await members.getMembers(ctx, input.AccountIds);
          return { Members: result.members.map(toWireMember), UnprocessedAccounts: result.unprocessed };
        },
      }),
    },
    {
      method: 'POST',
      path: '/members/disassociate',
      operation: securityHubOperation(hub, {
        name: 'DisassociateMembers',
        schema: accountIdsSchema,
        handle: async (ctx, input) => {
          await members.disassociateMembers(ctx, input.AccountIds);
          return {};
        },
      }),
    },
    {
      method: 'POST',
      path: '/members/delete',
      operation: securityHubOperation(hub, {
        name: 'DeleteMembers',
        schema: accountIdsSchema,
        handle: async (ctx, input) => ({
          UnprocessedAccounts: await members.deleteMembers(ctx, input.AccountIds),
        }),
      }),
    },
  ];
}

/** The member's side: ListInvitations, GetInvitationsCount, DeclineInvitations and DeleteInvitations. */
function invitationRoutes(hub: HubService, members: MembersService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/invitations',
      operation: securityHubOperation(hub, {
        name: 'ListInvitations',
        schema: pagingSchema,
        input: (request) => ({
          MaxResults: queryInteger(request.query, 'MaxResults'),
          NextToken: queryString(request.query, 'NextToken'),
        }),
        handle: async (ctx, input) => {
          const page = securityHubPageOf(
            await members.listInvitations(ctx),
            { nextToken: input.NextToken, maxResults: input.MaxResults },
            'invitations',
            50,
          );
          return withNextToken({ Invitations: page.items.map(toWireInvitation) }, page.nextToken);
        },
      }),
    },
    {
      method: 'GET',
      path: '/invitations/count',
      operation: securityHubOperation(hub, {
        name: 'GetInvitationsCount',
        schema: z.object({}),
        handle: async (ctx) => ({ InvitationsCount: (await members.listInvitations(ctx)).length }),
      }),
    },
    {
      method: 'POST',
      path: '/invitations/decline',
      operation: securityHubOperation(hub, {
        name: 'DeclineInvitations',
        schema: accountIdsSchema,
        handle: async (ctx, input) => ({
          UnprocessedAccounts: await members.declineInvitations(ctx, input.AccountIds),
        }),
      }),
    },
    {
      method: 'POST',
      path: '/invitations/delete',
      operation: securityHubOperation(hub, {
        name: 'DeleteInvitations',
        schema: accountIdsSchema,
        handle: async (ctx, input) => ({
          UnprocessedAccounts: await members.deleteInvitations(ctx, input.AccountIds),
        }),
      }),
    },
  ];
}

/** The member's administrator: accept, get and disassociate, under both the Administrator and the deprecated Master names. */
function administratorRoutes(hub: HubService, members: MembersService): RestRoute[] {
  const acceptAdministrator = securityHubOperation(hub, {
    name: 'AcceptAdministratorInvitation',
    schema: acceptSchema,
    handle: async (ctx, input) => {
      await members.acceptInvitation(ctx, input.AdministratorId, input.InvitationId);
      return {};
    },
  });
  const disassociateFromAdministrator = (name: string) =>
    securityHubOperation(hub, {
      name,
      schema: z.object({}),
      handle: async (ctx) => {
        await members.disassociateFromAdministrator(ctx);
        return {};
      },
    });
  const getAdministrator = (name: string, member: 'Administrator' | 'Master') =>
    securityHubOperation(hub, {
      name,
      schema: z.object({}),
      handle: async (ctx) => {
        const administrator = await members.getAdministrator(ctx);
        return administrator === undefined ? {} : { [member]: toWireInvitation(administrator) };
      },
    });
  return [
    { method: 'POST', path: '/administrator', operation: acceptAdministrator },
    {
      method: 'GET',
      path: '/administrator',
      operation: getAdministrator('GetAdministratorAccount', 'Administrator'),
    },
    {
      method: 'POST',
      path: '/administrator/disassociate',
      operation: disassociateFromAdministrator('DisassociateFromAdministratorAccount'),
    },
    {
      method: 'POST',
      path: '/master',
      operation: securityHubOperation(hub, {
        name: 'AcceptInvitation',
        schema: acceptMasterSchema,
        handle: async (ctx, input) => {
          await members.acceptInvitation(ctx, input.MasterId, input.InvitationId);
          return {};
        },
      }),
    },
    { method: 'GET', path: '/master', operation: getAdministrator('GetMasterAccount', 'Master') },
    {
      method: 'POST',
      path: '/master/disassociate',
      operation: disassociateFromAdministrator('DisassociateFromMasterAccount'),
    },
  ];
}
