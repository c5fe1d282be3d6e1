/** The checks and derived values of custom baselines: ids, rule validation, request fingerprints, node facts. */
import { createHash, randomBytes } from 'node:crypto';
import { ssmError } from '../protocols/ssm/index.js';
import {
  baselineFilterKeys,
  isAptFamily,
  type BaselineDefinition,
  type BaselineRules,
} from './patching-model.js';

const validation = (message: string): Error => ssmError('ValidationException', message);

/** A new custom baseline id. */
export function newBaselineId(): string {
  return `pb-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** Checks what the model's constraints cannot express: filter keys per OS, one key per group, rule dates. */
export function validateBaselineRules(rules: BaselineRules): void {
  const allowed = baselineFilterKeys(rules.operatingSystem);
  const groups = [
    { at: 'GlobalFilters', filters: rules.globalFilters },
    ...rules.approvalRules.map((rule, index) => ({
      at: `ApprovalRules.PatchRules.${index + 1}`,
      filters: rule.filters,
    })),
  ];
  for (const group of groups) {
    const seen = new Set<string>();
    for (const filter of group.filters) {
      if (!allowed.includes(filter.key)) {
        throw validation(
          `${group.at}: filter key ${filter.key} is not supported for ${rules.operatingSystem}; valid keys: ${allowed.join(', ')}.`,
        );
      }
      if (seen.has(filter.key))
        throw validation(`${group.at}: filter key ${filter.key} appears more than once.`);
      seen.add(filter.key);
    }
  }
  rules.approvalRules.forEach((rule, index) => {
    const at = `ApprovalRules.PatchRules.${index + 1}`;
    const hasDays = rule.approveAfterDays !== undefined;
    const hasDate = rule.approveUntilDate !== undefined;
    if (hasDays && hasDate)
      throw validation(`${at}: specify either ApproveAfterDays or ApproveUntilDate, not both.`);
    if (!hasDays && !hasDate && !isAptFamily(rules.operatingSystem)) {
      throw validation(`${at}: the rule must include either ApproveAfterDays or ApproveUntilDate.`);
    }
    if (rule.approveUntilDate !== undefined) {
      const date = rule.approveUntilDate;
      const parsed = Date.parse(`${date}T00:00:00Z`);
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
        Number.isNaN(parsed) ||
        new Date(parsed).toISOString().slice(0, 10) !== date
      ) {
        throw validation(`${at}: ApproveUntilDate ${date} is not a date in the format YYYY-MM-DD.`);
      }
    }
  });
}

/** A stable hash of a CreatePatchBaseline request, for ClientToken idempotency. */
export function fingerprintOf(
  definition: BaselineDefinition,
  tags: readonly { key: string; value: string }[],
): string {
  return createHash('sha256')
    .update(JSON.stringify([definition, tags]))
    .digest('hex');
}

/** A frozen baseline with this node's own patch group and product (the baseline part stays frozen). */
export function withNodeFacts(document: string, patchGroup: string, product: string): string {
  const parsed = JSON.parse(document) as Record<string, unknown>;
  return JSON.stringify({ ...parsed, patchGroup, product });
}
