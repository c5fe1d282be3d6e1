/** The authenticated caller and the identity policies that bound what it may do. */

/** A user (a person or a tool with keys), a role (agents: one key per instance), or the account root. */
export type PrincipalKind = 'user' | 'role' | 'root';

/** The authenticated caller of one request. */
export interface Actor {
  accountId: string;
  principalId: string;
  principalArn: string;
  principalName: string;
  principalType: PrincipalKind;
  accessKeyId: string;
  /** Every policy attached to the principal; evaluated together (explicit deny wins, default deny). */
  policies: readonly PolicyDocument[];
}

/** One statement, normalized: Action/NotAction and Resource/NotResource as lists, condition values as strings. */
export interface PolicyStatement {
  Sid?: string | undefined;
  Effect: 'Allow' | 'Deny';
  Action?: string[] | undefined;
  NotAction?: string[] | undefined;
  Resource?: string[] | undefined;
  NotResource?: string[] | undefined;
  /** operator → condition key → values (ORed). */
  Condition?: Record<string, Record<string, string[]>> | undefined;
}

/** A validated, normalized identity-based policy document. */
export interface PolicyDocument {
  Version: '2012-10-17' | '2008-10-17';
  Id?: string | undefined;
  Statement: PolicyStatement[];
}
