/**
 * The Details keys AWS documents for Patch and Association compliance items (spec §4.2): the keys a compliance
 * filter may name and the detail attributes of the AWS:ComplianceItem inventory type.
 */
export const complianceDetailKeys = [
  'DocumentName',
  'DocumentVersion',
  'Classification',
  'PatchBaselineId',
  'PatchSeverity',
  'PatchState',
  'PatchGroup',
  'InstalledTime',
  'InstallOverrideList',
  'DetailedText',
  'DetailedLink',
  'CVEIds',
] as const;
