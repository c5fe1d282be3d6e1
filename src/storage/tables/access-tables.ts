/** Kysely row types of accounts, principals with their access keys and policies, Security Hub member accounts, and the access generation counter. */

export interface AccountsTable {
  account_id: string;
  created_at: number;
}

export interface PrincipalsTable {
  principal_id: string;
  account_id: string;
  name: string;
  kind: string;
  arn: string;
  created_at: number;
}

export interface AccessKeysTable {
  access_key_id: string;
  principal_id: string;
  secret_ciphertext: string;
  status: string;
  created_at: number;
  last_used_at: number | null;
}

/** A customer-managed policy of one account (built-in policies are code, not rows). */
export interface ManagedPoliciesTable {
  policy_arn: string;
  account_id: string;
  name: string;
  description: string;
  document: string;
  created_at: number;
  updated_at: number;
}

/** A policy (built-in or customer ARN) attached to a principal. */
export interface PrincipalPoliciesTable {
  principal_id: string;
  policy_arn: string;
  attached_at: number;
}

/** One row (id 1): bumped by every access change, so nodes know when to drop cached identities. */
export interface AccessGenerationTable {
  id: number;
  generation: number;
}

export interface MembersTable {
  administrator_account_id: string;
  member_account_id: string;
  region: string;
  email: string | null;
  status: string;
  invitation_id: string | null;
  invited_at: number | null;
  updated_at: number;
}

/** The access tables by name. */
export interface AccessTables {
  accounts: AccountsTable;
  principals: PrincipalsTable;
  access_keys: AccessKeysTable;
  managed_policies: ManagedPoliciesTable;
  principal_policies: PrincipalPoliciesTable;
  access_generation: AccessGenerationTable;
  members: MembersTable;
}
