import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptAdministratorInvitationCommand,
  AcceptInvitationCommand,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  CreateInsightCommand,
  CreateMembersCommand,
  DeclineInvitationsCommand,
  DeleteMembersCommand,
  DisableSecurityHubCommand,
  DisassociateFromAdministratorAccountCommand,
  DisassociateMembersCommand,
  GetAdministratorAccountCommand,
  GetFindingHistoryCommand,
  GetInsightResultsCommand,
  GetInvitationsCountCommand,
  GetMasterAccountCommand,
  GetMembersCommand,
  InviteMembersCommand,
  ListInvitationsCommand,
  ListMembersCommand,
} from '@aws-sdk/client-securityhub';
import { uniqueFindingId } from './factories.js';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

describe('administrator and member accounts', () => {
  let server: InProcessServer;
  let admin: TestAccount;
  let member: TestAccount;
  let outsider: TestAccount;
  const memberFindingId = uniqueFindingId('member');
  const adminFindingId = uniqueFindingId('admin');

  before(async () => {
    server = await startInProcessServer();
    [admin, member, outsider] = await Promise.all([
      enabledAccount(server),
      enabledAccount(server),
      enabledAccount(server),
    ]);
    await member.client.send(
      new BatchImportFindingsCommand({ Findings: [member.finding({ Id: memberFindingId })] }),
    );
    await admin.client.send(
      new BatchImportFindingsCommand({ Findings: [admin.finding({ Id: adminFindingId })] }),
    );
  });
  after(() => server.dispose());

  const ids = (findings: { Id?: string | undefined }[]): string[] => findings.map((f) => f.Id ?? '').sort();

  it('invites, accepts, and then lets the administrator see and update the member findings', async () => {
    const created = await admin.client.send(
      new CreateMembersCommand({
        AccountDetails: [{ AccountId: member.accountId, Email: 'sec@example.com' }],
      }),
    );
    assert.deepEqual(created.UnprocessedAccounts, []);
    const own = await admin.client.send(
      new CreateMembersCommand({ AccountDetails: [{ AccountId: admin.accountId }] }),
    );
    assert.equal(own.UnprocessedAccounts?.[0]?.AccountId, admin.accountId);

    const listed = await admin.client.send(new ListMembersCommand({ OnlyAssociated: false }));
    assert.equal(listed.Members?.[0]?.MemberStatus, 'Created');
    assert.deepEqual((await admin.client.send(new ListMembersCommand({}))).Members, []);

    assert.deepEqual(
      (await admin.client.send(new InviteMembersCommand({ AccountIds: [member.accountId] })))
        .UnprocessedAccounts,
      [],
    );
    assert.equal((await member.client.send(new GetInvitationsCountCommand({}))).InvitationsCount, 1);
    const invitations = await member.client.send(new ListInvitationsCommand({}));
    const invitation = invitations.Invitations?.[0];
    assert.equal(invitation?.AccountId, admin.accountId);
    assert.match(invitation?.InvitationId ?? '', /^[0-9a-f]{32}$/);
    assert.ok(invitation?.InvitedAt instanceof Date);

    // Before acceptance the administrator still sees only its own findings.
    assert.deepEqual(ids(await getAllFindings(admin.client)), [adminFindingId]);

    await expectAwsError(
      member.client.send(
        new AcceptAdministratorInvitationCommand({
          AdministratorId: admin.accountId,
          InvitationId: 'f'.repeat(32),
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await member.client.send(
      new AcceptAdministratorInvitationCommand({
        AdministratorId: admin.accountId,
        InvitationId: invitation?.InvitationId ?? '',
      }),
    );
    const administrator = await member.client.send(new GetAdministratorAccountCommand({}));
    assert.equal(administrator.Administrator?.AccountId, admin.accountId);
    assert.equal(administrator.Administrator?.MemberStatus, 'Enabled');
    const master = await member.client.send(new GetMasterAccountCommand({}));
    assert.equal(master.Master?.AccountId, admin.accountId);

    const members = await admin.client.send(
      new GetMembersCommand({ AccountIds: [member.accountId, outsider.accountId] }),
    );
    assert.equal(members.Members?.[0]?.MemberStatus, 'Enabled');
    assert.equal(members.Members?.[0]?.AdministratorId, admin.accountId);
    assert.equal(members.Members?.[0]?.Email, 'sec@example.com');
    assert.equal(members.UnprocessedAccounts?.[0]?.AccountId, outsider.accountId);

    assert.deepEqual(ids(await getAllFindings(admin.client)), [adminFindingId, memberFindingId].sort());
    assert.deepEqual(ids(await getAllFindings(member.client)), [memberFindingId]);
    assert.deepEqual(ids(await getAllFindings(outsider.client)), []);

    const updated = await admin.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: memberFindingId, ProductArn: member.productArn }],
        Workflow: { Status: 'NOTIFIED' },
      }),
    );
    assert.equal(updated.ProcessedFindings?.length, 1);
    const history = await admin.client.send(
      new GetFindingHistoryCommand({
        FindingIdentifier: { Id: memberFindingId, ProductArn: member.productArn },
      }),
    );
    assert.equal(history.Records?.at(-1)?.UpdateSource?.Identity, admin.key.principalArn);

    const insight = await admin.client.send(
      new CreateInsightCommand({ Name: 'by account', Filters: {}, GroupByAttribute: 'AwsAccountId' }),
    );
    const results = await admin.client.send(new GetInsightResultsCommand({ InsightArn: insight.InsightArn }));
    assert.deepEqual(
      (results.InsightResults?.ResultValues ?? []).map((v) => v.GroupByAttributeValue).sort(),
      [admin.accountId, member.accountId].sort(),
    );

    const outsiderUpdate = await outsider.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: memberFindingId, ProductArn: member.productArn }],
        Workflow: { Status: 'SUPPRESSED' },
      }),
    );
    assert.equal(outsiderUpdate.UnprocessedFindings?.[0]?.ErrorCode, 'FindingNotFound');
  });

  it('refuses to disable the hub of an administrator that has members', async () => {
    await expectAwsError(admin.client.send(new DisableSecurityHubCommand({})), 'InvalidInputException', 400);
  });

  it('ends access when the member leaves, and deletes the record only after disassociation', async () => {
    await member.client.send(new DisassociateFromAdministratorAccountCommand({}));
    assert.equal((await member.client.send(new GetAdministratorAccountCommand({}))).Administrator, undefined);
    const listed = await admin.client.send(new ListMembersCommand({ OnlyAssociated: false }));
    assert.equal(listed.Members?.[0]?.MemberStatus, 'Resigned');
    assert.deepEqual(ids(await getAllFindings(admin.client)), [adminFindingId]);

    // Invite again; the member accepts through the deprecated alias; the administrator then removes it.
    await admin.client.send(new InviteMembersCommand({ AccountIds: [member.accountId] }));
    const invitation = (await member.client.send(new ListInvitationsCommand({}))).Invitations?.[0];
    await member.client.send(
      new AcceptInvitationCommand({
        MasterId: admin.accountId,
        InvitationId: invitation?.InvitationId ?? '',
      }),
    );
    assert.deepEqual(ids(await getAllFindings(admin.client)), [adminFindingId, memberFindingId].sort());
    const refused = await admin.client.send(new DeleteMembersCommand({ AccountIds: [member.accountId] }));
    assert.equal(refused.UnprocessedAccounts?.[0]?.AccountId, member.accountId);
    await admin.client.send(new DisassociateMembersCommand({ AccountIds: [member.accountId] }));
    assert.deepEqual(ids(await getAllFindings(admin.client)), [adminFindingId]);
    assert.deepEqual(
      (await admin.client.send(new DeleteMembersCommand({ AccountIds: [member.accountId] })))
        .UnprocessedAccounts,
      [],
    );
    assert.deepEqual(
      (await admin.client.send(new ListMembersCommand({ OnlyAssociated: false }))).Members,
      [],
    );
    await admin.client.send(new DisableSecurityHubCommand({}));
  });

  it('lets an invited account decline, and never lets an account accept an invitation meant for another', async () => {
    const second = await enabledAccount(server);
    await outsider.client.send(
      new CreateMembersCommand({ AccountDetails: [{ AccountId: second.accountId }] }),
    );
    await outsider.client.send(new InviteMembersCommand({ AccountIds: [second.accountId] }));
    const invitation = (await second.client.send(new ListInvitationsCommand({}))).Invitations?.[0];
    await expectAwsError(
      member.client.send(
        new AcceptAdministratorInvitationCommand({
          AdministratorId: outsider.accountId,
          InvitationId: invitation?.InvitationId ?? '',
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    const declined = await second.client.send(
      new DeclineInvitationsCommand({ AccountIds: [outsider.accountId] }),
    );
    assert.deepEqual(declined.UnprocessedAccounts, []);
    assert.equal((await second.client.send(new GetInvitationsCountCommand({}))).InvitationsCount, 0);
    const listed = await outsider.client.send(new ListMembersCommand({ OnlyAssociated: false }));
    assert.equal(listed.Members?.[0]?.MemberStatus, 'Resigned');
  });
});
