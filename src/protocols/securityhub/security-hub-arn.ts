/** Security Hub's ARN of an account's hub in a Region, the default resource of its operations. */

/** The hub ARN of an account in a Region. */
export function hubArnOf(region: string, accountId: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:hub/default`;
}
