/** Who is calling: accounts, principals and the policies that bound them. */

/** An IAM-style policy statement; the evaluator supports the subset in policy.ts. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
}

/** An IAM-style policy document. */
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** The authenticated caller of one request. */
export interface Actor {
  accountId: string;
  principalId: string;
  principalArn: string;
  principalName: string;
  accessKeyId: string;
  policy: PolicyDocument;
}

/** A principal: an identity in an account that holds access keys and a policy. */
export interface Principal {
  principalId: string;
  accountId: string;
  name: string;
  kind: 'user';
  arn: string;
  policy: PolicyDocument;
  createdAt: Date;
}

/** An access key as stored; the secret is only ever held encrypted. */
export interface AccessKeyRecord {
  accessKeyId: string;
  principalId: string;
  secretCiphertext: string;
  status: 'Active' | 'Inactive';
  createdAt: Date;
  lastUsedAt: Date | undefined;
}

/** Credentials handed out once, when a key is created. */
export interface IssuedCredentials {
  accountId: string;
  principalArn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Full access to everything in the principal's account: the bootstrap administrator's policy. */
export const administratorAccessPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** The ARN of a user principal. */
export function userArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:user/${name}`;
}
