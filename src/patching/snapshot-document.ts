/** The baseline snapshot document the agent runs with (§5.7: camelCase keys, as AWS's payload reads them). */
import type { BaselineRules, PatchFilter } from './patching-model.js';

/** What goes into one snapshot. */
export interface SnapshotInput {
  accountId: string;
  baselineId: string;
  name: string;
  description?: string;
  rules: BaselineRules;
  createdAt: Date;
  modifiedAt: Date;
  patchGroup: string;
  product: string;
}

const filtersOf = (filters: readonly PatchFilter[]): { key: string; values: string[] }[] =>
  filters.map((filter) => ({ key: filter.key, values: [...filter.values] }));

/** Serializes a snapshot: `patchBaseline{…}`, `patchGroup`, `product` and the payload's fixed extras. */
export function snapshotDocumentOf(input: SnapshotInput): string {
  const { rules } = input;
  return JSON.stringify({
    patchBaseline: {
      accountId: input.accountId,
      baselineId: input.baselineId,
      name: input.name,
      operatingSystem: rules.operatingSystem,
      description: input.description ?? '',
      globalFilters: { filters: filtersOf(rules.globalFilters) },
      approvalRules: {
        rules: rules.approvalRules.map((rule) => ({
          filterGroup: { filters: filtersOf(rule.filters) },
          complianceLevel: rule.complianceLevel,
          enableNonSecurity: rule.enableNonSecurity,
          approveAfterDays: rule.approveAfterDays ?? null,
          approveUntilDate: rule.approveUntilDate ?? null,
        })),
      },
      approvedPatches: [...rules.approvedPatches],
      approvedPatchesComplianceLevel: rules.approvedPatchesComplianceLevel,
      approvedPatchesEnableNonSecurity: rules.approvedPatchesEnableNonSecurity,
      rejectedPatches: [...rules.rejectedPatches],
      rejectedPatchesAction: rules.rejectedPatchesAction,
      sources: rules.sources.map((source) => ({
        name: source.name,
        products: [...source.products],
        configuration: source.configuration,
      })),
      createdTime: input.createdAt.getTime() / 1000,
      modifiedTime: input.modifiedAt.getTime() / 1000,
    },
    patchGroup: input.patchGroup,
    product: input.product,
    patches: [],
    enableApplicationPatches: false,
    requiredFeatures: [],
  });
}

/** The `SnapshotDownloadUrl` Bulwark returns: the document inline as a `data:` URL (no second, expiring fetch). */
export function snapshotDownloadUrlOf(document: string): string {
  return `data:application/json;base64,${Buffer.from(document, 'utf8').toString('base64')}`;
}
