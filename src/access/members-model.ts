/** The administrator/member relationship of two accounts in one Region, and its state machine. */

/** Member statuses, spelled as the current Security Hub documentation spells them. */
export type MemberStatus = 'Created' | 'Invited' | 'Enabled' | 'Removed' | 'Resigned';

/** One relationship as the administrator's member list holds it. */
export interface Membership {
  administratorAccountId: string;
  memberAccountId: string;
  region: string;
  email: string | undefined;
  status: MemberStatus;
  invitationId: string | undefined;
  invitedAt: Date | undefined;
  updatedAt: Date;
}

/** Whether an invitation of this relationship is waiting for the member's answer. */
export function isPendingInvitation(membership: Membership): boolean {
  return membership.status === 'Invited';
}

/** Whether the administrator may see and update the member's data. */
export function grantsAccess(membership: Membership): boolean {
  return membership.status === 'Enabled';
}
