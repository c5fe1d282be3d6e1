/** Product ARNs: `arn:PARTITION:securityhub:REGION:ACCOUNT:product/COMPANY/PRODUCT`. */

/** The parts of a product ARN. */
export interface ProductArn {
  partition: string;
  region: string;
  /** Empty for AWS services and public partner products. */
  accountId: string;
  companyId: string;
  productId: string;
}

const productArnPattern =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):securityhub:([a-z0-9-]*):(\d{12})?:product\/([^/]+)\/([^/]+)$/;

/** Parses a product ARN, or undefined when it has another shape. */
export function parseProductArn(arn: string): ProductArn | undefined {
  const match = productArnPattern.exec(arn);
  if (match === null) return undefined;
  return {
    partition: match[1] ?? 'aws',
    region: match[2] ?? '',
    accountId: match[3] ?? '',
    companyId: match[4] ?? '',
    productId: match[5] ?? '',
  };
}

/** The account's own custom-integration product, always enabled. */
export function defaultProductArn(region: string, accountId: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** Whether `arn` is the default product of `accountId` in `region`. */
export function isDefaultProduct(arn: ProductArn, region: string, accountId: string): boolean {
  return (
    arn.region === region &&
    arn.accountId === accountId &&
    arn.companyId === accountId &&
    arn.productId === 'default'
  );
}
