/** The integrations Bulwark knows by name: AWS services and the open-source tools that emit ASFF. */

/** One integration as DescribeProducts lists it. */
export interface CatalogProduct {
  companyId: string;
  productId: string;
  productName: string;
  companyName: string;
  description: string;
  categories: string[];
  integrationTypes: string[];
}

const sendFindings = ['SEND_FINDINGS_TO_SECURITY_HUB'];

/** The catalogue; every entry's ARN is region-specific and account-less. */
export const productCatalog: readonly CatalogProduct[] = [
  {
    companyId: 'aws',
    productId: 'securityhub',
    productName: 'Security Hub',
    companyName: 'AWS',
    description: 'Control findings that Bulwark itself evaluates from what it knows about the fleet.',
    categories: ['Compliance'],
    integrationTypes: sendFindings,
  },
  {
    companyId: 'aws',
    productId: 'guardduty',
    productName: 'GuardDuty',
    companyName: 'Amazon',
    description: 'Threat detection findings forwarded from Amazon GuardDuty.',
    categories: ['Intrusion Detection Systems (IDS)'],
    integrationTypes: sendFindings,
  },
  {
    companyId: 'aws',
    productId: 'inspector',
    productName: 'Inspector',
    companyName: 'Amazon',
    description: 'Vulnerability findings forwarded from Amazon Inspector.',
    categories: ['Vulnerability'],
    integrationTypes: sendFindings,
  },
  {
    companyId: 'aws',
    productId: 'ssm-patch-manager',
    productName: 'Systems Manager Patch Manager',
    companyName: 'AWS',
    description: 'Patch compliance findings for managed instances.',
    categories: ['Patch Management'],
    integrationTypes: sendFindings,
  },
  {
    companyId: 'prowler',
    productId: 'prowler',
    productName: 'Prowler',
    companyName: 'Prowler',
    description: 'Open-source security assessment of AWS, Azure, GCP and Kubernetes (emits ASFF).',
    categories: ['Compliance', 'Configuration Management'],
    integrationTypes: sendFindings,
  },
  {
    companyId: 'aquasecurity',
    productId: 'aquasecurity',
    productName: 'Aqua Security',
    companyName: 'Aqua Security',
    description: 'Trivy vulnerability and misconfiguration scanning (emits ASFF).',
    categories: ['Vulnerability', 'Container Security'],
    integrationTypes: sendFindings,
  },
  {
    companyId: 'cloud-custodian',
    productId: 'cloud-custodian',
    productName: 'Cloud Custodian',
    companyName: 'Cloud Custodian',
    description: 'Policy-as-code findings from Cloud Custodian.',
    categories: ['Compliance'],
    integrationTypes: sendFindings,
  },
];

/** The catalogue ARN of a product in `region`. */
export function catalogProductArn(product: CatalogProduct, region: string): string {
  return `arn:aws:securityhub:${region}::product/${product.companyId}/${product.productId}`;
}

/** The catalogue entry for company/product ids, if known. */
export function findCatalogProduct(companyId: string, productId: string): CatalogProduct | undefined {
  return productCatalog.find((p) => p.companyId === companyId && p.productId === productId);
}
