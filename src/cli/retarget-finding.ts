/**
 * `findings import --retarget`: rewrites findings published for another account (or copied from
 * GetFindings output) so the caller may import them into its own default product.
 */

/** The caller's account, as DescribeHub reveals it. */
export interface RetargetTarget {
  partition: string;
  region: string;
  accountId: string;
}

/** Reads partition, Region and account out of a hub ARN (`arn:aws:securityhub:REGION:ACCOUNT:hub/default`). */
export function retargetTargetFromHubArn(hubArn: string): RetargetTarget {
  const match = /^arn:([^:]+):securityhub:([^:]+):(\d{12}):hub\//.exec(hubArn);
  if (match === null) throw new Error(`cannot read the account from the hub ARN ${hubArn}`);
  return { partition: match[1] as string, region: match[2] as string, accountId: match[3] as string };
}

/** The caller's default (custom integration) product ARN. */
export function defaultProductArn(target: RetargetTarget): string {
  return `arn:${target.partition}:securityhub:${target.region}:${target.accountId}:product/${target.accountId}/default`;
}

// ProductFields keys under which publishers name themselves, in order of preference.
const productNameFields = ['aws/securityhub/ProductName', 'Product Name', 'ProviderName', 'ProductName'];
const companyNameFields = ['aws/securityhub/CompanyName', 'CompanyName'];

/**
 * Returns a copy of `finding` owned by the target account's default product. Also fixes what real
 * publishers get wrong or what GetFindings output carries that BatchImportFindings should not get:
 * an empty `Resources[].Region` (Trivy) becomes the Region, an empty `Resources[].Type` (Prowler 2)
 * becomes `Other`, output-only `ProcessedAt` and `aws/securityhub/*` ProductFields are dropped, and the
 * original product's name and company are kept as ProductName/CompanyName when the finding has none.
 */
export function retargetFinding(
  finding: Record<string, unknown>,
  target: RetargetTarget,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...finding };
  const originalProduct = parseProductArn(finding['ProductArn']);
  const productFields = isRecord(finding['ProductFields']) ? finding['ProductFields'] : undefined;

  if (!isNonEmptyString(out['ProductName'])) {
    const name =
      pickField(productFields, productNameFields) ??
      (originalProduct !== undefined && originalProduct.product !== 'default'
        ? originalProduct.product
        : undefined);
    if (name !== undefined) out['ProductName'] = name;
  }
  if (!isNonEmptyString(out['CompanyName'])) {
    const company =
      pickField(productFields, companyNameFields) ??
      (originalProduct !== undefined && originalProduct.product !== 'default'
        ? originalProduct.company
        : undefined);
    if (company !== undefined) out['CompanyName'] = company;
  }

  out['AwsAccountId'] = target.accountId;
  out['ProductArn'] = defaultProductArn(target);
  if ('Region' in out) out['Region'] = target.region;
  delete out['ProcessedAt'];
  if (productFields !== undefined) {
    out['ProductFields'] = Object.fromEntries(
      Object.entries(productFields).filter(([key]) => !key.startsWith('aws/securityhub/')),
    );
  }
  if (Array.isArray(finding['Resources'])) {
    out['Resources'] = finding['Resources'].map((resource: unknown) => {
      if (!isRecord(resource)) return resource;
      const fixed: Record<string, unknown> = { ...resource };
      if (fixed['Region'] === '') fixed['Region'] = target.region;
      if (fixed['Type'] === '') fixed['Type'] = 'Other';
      return fixed;
    });
  }
  return out;
}

function parseProductArn(value: unknown): { company: string; product: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^arn:[^:]+:securityhub:[^:]*:[^:]*:product\/([^/]+)\/([^/]+)$/.exec(value);
  if (match === null) return undefined;
  return { company: match[1] as string, product: match[2] as string };
}

function pickField(fields: Record<string, unknown> | undefined, keys: readonly string[]): string | undefined {
  if (fields === undefined) return undefined;
  for (const key of keys) {
    const value = fields[key];
    if (isNonEmptyString(value)) return value.slice(0, 128);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
