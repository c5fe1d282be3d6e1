/** Persistence of administrator/member relationships. */
import type { DbExecutor } from '../storage/database.js';
import type { MemberStatus, Membership } from './members-model.js';

type Row = {
  administrator_account_id: string;
  member_account_id: string;
  region: string;
  email: string | null;
  status: string;
  invitation_id: string | null;
  invited_at: number | null;
  updated_at: number;
};

function toMembership(row: Row): Membership {
  return {
    administratorAccountId: row.administrator_account_id,
    memberAccountId: row.member_account_id,
    region: row.region,
    email: row.email ?? undefined,
    status: row.status as MemberStatus,
    invitationId: row.invitation_id ?? undefined,
    invitedAt: row.invited_at === null ? undefined : new Date(Number(row.invited_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/** Reads and writes the members table. */
export class MembersStore {
  async listByAdministrator(db: DbExecutor, administrator: string, region: string): Promise<Membership[]> {
    const rows = await db
      .selectFrom('members')
      .selectAll()
      .where('administrator_account_id', '=', administrator)
      .where('region', '=', region)
      .orderBy('member_account_id')
      .execute();
    return rows.map(toMembership);
  }

  async listByMember(db: DbExecutor, member: string, region: string): Promise<Membership[]> {
    const rows = await db
      .selectFrom('members')
      .selectAll()
      .where('member_account_id', '=', member)
      .where('region', '=', region)
      .orderBy('administrator_account_id')
      .execute();
    return rows.map(toMembership);
  }

  async find(
    db: DbExecutor,
    administrator: string,
    member: string,
    region: string,
  ): Promise<Membership | undefined> {
    const row = await db
      .selectFrom('members')
      .selectAll()
      .where('administrator_account_id', '=', administrator)
      .where('member_account_id', '=', member)
      .where('region', '=', region)
      .executeTakeFirst();
    return row === undefined ? undefined : toMembership(row);
  }

  async save(db: DbExecutor, membership: Membership): Promise<void> {
    const values = {
      administrator_account_id: membership.administratorAccountId,
      member_account_id: membership.memberAccountId,
      region: membership.region,
      email: membership.email ?? null,
      status: membership.status,
      invitation_id: membership.invitationId ?? null,
      invited_at: membership.invitedAt?.getTime() ?? null,
      updated_at: membership.updatedAt.getTime(),
    };
    await db
      .insertInto('members')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['administrator_account_id', 'member_account_id', 'region']).doUpdateSet({
          email: values.email,
          status: values.status,
          invitation_id: values.invitation_id,
          invited_at: values.invited_at,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }

  async delete(db: DbExecutor, administrator: string, member: string, region: string): Promise<void> {
    await db
      .deleteFrom('members')
      .where('administrator_account_id', '=', administrator)
      .where('member_account_id', '=', member)
      .where('region', '=', region)
      .execute();
  }

  /** The member accounts whose data `administrator` may see in `region`. */
  async enabledMemberIds(db: DbExecutor, administrator: string, region: string): Promise<string[]> {
    const rows = await db
      .selectFrom('members')
      .select('member_account_id')
      .where('administrator_account_id', '=', administrator)
      .where('region', '=', region)
      .where('status', '=', 'Enabled')
      .execute();
    return rows.map((row) => row.member_account_id);
  }
}
