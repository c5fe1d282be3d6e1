/** Static DescribePatchProperties tables per OS and property (§5.2, §5.8). */
import type { OperatingSystem } from './patching-model.js';

/** The properties DescribePatchProperties accepts. */
export const patchProperties = [
  'PRODUCT',
  'PRODUCT_FAMILY',
  'CLASSIFICATION',
  'MSRC_SEVERITY',
  'PRIORITY',
  'SEVERITY',
] as const;

/** A patch property. */
export type PatchProperty = (typeof patchProperties)[number];

const rpmSeverities = ['Critical', 'Important', 'Medium', 'Moderate', 'Low'];
const rpmClassifications = ['Security', 'Bugfix', 'Enhancement', 'Recommended', 'Newpackage'];
const aptPriorities = ['Required', 'Important', 'Standard', 'Optional', 'Extra'];

const products: Partial<Record<OperatingSystem, string[]>> = {
  UBUNTU: [
    'Ubuntu14.04',
    'Ubuntu16.04',
    'Ubuntu18.04',
    'Ubuntu20.04',
    'Ubuntu20.10',
    'Ubuntu22.04',
    'Ubuntu23.04',
    'Ubuntu24.04',
  ],
  DEBIAN: ['Debian8', 'Debian9', 'Debian10', 'Debian11', 'Debian12'],
  RASPBIAN: ['Raspbian9', 'Raspbian10', 'Raspbian11', 'Raspbian12'],
  REDHAT_ENTERPRISE_LINUX: ['RedhatEnterpriseLinux7', 'RedhatEnterpriseLinux8', 'RedhatEnterpriseLinux9'],
  ROCKY_LINUX: ['RockyLinux8', 'RockyLinux9'],
  ALMA_LINUX: ['AlmaLinux8', 'AlmaLinux9'],
  ORACLE_LINUX: ['OracleLinux7', 'OracleLinux8', 'OracleLinux9'],
  CENTOS: ['CentOS7', 'CentOSStream8', 'CentOSStream9'],
  AMAZON_LINUX: ['AmazonLinux2018.03'],
  AMAZON_LINUX_2: ['AmazonLinux2'],
  AMAZON_LINUX_2022: ['AmazonLinux2022'],
  AMAZON_LINUX_2023: ['AmazonLinux2023'],
  SUSE: ['Suse12', 'Suse15'],
};

/** The values of `property` for `os` (empty when the property does not apply). */
export function patchPropertyValues(os: OperatingSystem, property: PatchProperty): string[] {
  switch (os) {
    case 'UBUNTU':
    case 'DEBIAN':
    case 'RASPBIAN':
      if (property === 'PRODUCT') return products[os] ?? [];
      if (property === 'PRIORITY') return aptPriorities;
      return [];
    case 'WINDOWS':
      if (property === 'PRODUCT') return ['WindowsServer2016', 'WindowsServer2019', 'WindowsServer2022'];
      if (property === 'PRODUCT_FAMILY') return ['Windows'];
      if (property === 'CLASSIFICATION')
        return [
          'CriticalUpdates',
          'SecurityUpdates',
          'Updates',
          'UpdateRollups',
          'ServicePacks',
          'DefinitionUpdates',
        ];
      if (property === 'MSRC_SEVERITY') return ['Critical', 'Important', 'Moderate', 'Low', 'Unspecified'];
      return [];
    case 'MACOS':
      if (property === 'CLASSIFICATION') return ['Security', 'Software', 'Compliance'];
      return [];
    case 'AMAZON_LINUX':
    case 'AMAZON_LINUX_2':
    case 'AMAZON_LINUX_2022':
    case 'AMAZON_LINUX_2023':
    case 'REDHAT_ENTERPRISE_LINUX':
    case 'CENTOS':
    case 'ORACLE_LINUX':
    case 'ROCKY_LINUX':
    case 'ALMA_LINUX':
    case 'SUSE':
      if (property === 'PRODUCT') return products[os] ?? [];
      if (property === 'CLASSIFICATION') return rpmClassifications;
      if (property === 'SEVERITY')
        return os === 'AMAZON_LINUX_2022' || os === 'AMAZON_LINUX_2023'
          ? [...rpmSeverities, 'None']
          : rpmSeverities;
      return [];
  }
}
