/** The SSM Compliance wire: zod schemas of the four operations and the mappers to AWS shapes. */
import { z } from 'zod';
import { toEpochSeconds } from '../protocols/ssm/index.js';
import type { ComplianceTypeSummary } from './compliance-service.js';
import {
  complianceSeverities,
  complianceStatuses,
  totalOf,
  type ComplianceItem,
  type ComplianceSet,
  type ExecutionSummary,
  type PutComplianceRequest,
  type SeverityCounts,
} from './compliance-model.js';

/** An SSM timestamp: epoch seconds (what botocore and the JS SDK send); ISO-8601 strings are accepted too. */
const timestamp = z.union([z.number(), z.string()]).transform((value, context) => {
  const date =
    typeof value === 'number' || /^\d+(\.\d+)?$/.test(value)
      ? new Date(Number(value) * 1000)
      : new Date(value);
  if (Number.isNaN(date.getTime())) {
    context.addIssue({ code: 'custom', message: `ExecutionTime '${String(value)}' is not a timestamp` });
    return z.NEVER;
  }
  return date;
});

const executionSummarySchema = z.object({
  ExecutionTime: timestamp,
  ExecutionId: z.string().max(100).optional(),
  ExecutionType: z.string().max(50).optional(),
});

const itemEntrySchema = z.object({
  Id: z.string().max(100).optional(),
  Title: z.string().max(500).optional(),
  Severity: z.enum(complianceSeverities),
  Status: z.enum(complianceStatuses),
  Details: z.record(z.string().min(1).max(64), z.string().max(4096)).optional(),
});

export const putComplianceItemsSchema = z.object({
  ResourceId: z.string().min(1).max(100),
  ResourceType: z.string().min(1).max(50),
  ComplianceType: z
    .string()
    .min(1)
    .max(100)
    .regex(/^([A-Za-z0-9_-]\w+|Custom:[a-zA-Z0-9_-]\w+)$/),
  ExecutionSummary: executionSummarySchema,
  Items: z.array(itemEntrySchema).max(10_000),
  ItemContentHash: z.string().max(256).optional(),
  UploadType: z.enum(['COMPLETE', 'PARTIAL']).optional(),
});

const filterSchema = z.object({
  Key: z.string().min(1).max(200),
  Values: z.array(z.string()).min(1).max(20),
  Type: z.string().optional(),
});

const pagingShape = {
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
};

export const listComplianceItemsSchema = z.object({
  Filters: z.array(filterSchema).optional(),
  ResourceIds: z.array(z.string().min(1).max(100)).min(1).optional(),
  ResourceTypes: z.array(z.string().min(1).max(50)).min(1).optional(),
  ...pagingShape,
});

export const listComplianceSummariesSchema = z.object({
  Filters: z.array(filterSchema).optional(),
  ...pagingShape,
});

/** The domain request of a validated PutComplianceItems body. */
export function fromWirePutComplianceItems(
  input: z.output<typeof putComplianceItemsSchema>,
): PutComplianceRequest {
  return {
    resourceId: input.ResourceId,
    resourceType: input.ResourceType,
    complianceType: input.ComplianceType,
    executionSummary: {
      executionTime: input.ExecutionSummary.ExecutionTime,
      executionId: nonEmpty(input.ExecutionSummary.ExecutionId),
      executionType: nonEmpty(input.ExecutionSummary.ExecutionType),
    },
    items: input.Items.map((item) => ({
      id: item.Id,
      title: item.Title,
      severity: item.Severity,
      status: item.Status,
      details: item.Details ?? {},
    })),
    itemContentHash: input.ItemContentHash,
    uploadType: input.UploadType,
  };
}

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/** `ExecutionSummary`: ExecutionId/ExecutionType only when set (AWS omits empty ones). */
export function toWireExecutionSummary(execution: ExecutionSummary): Record<string, unknown> {
  return {
    ExecutionTime: toEpochSeconds(execution.executionTime),
    ...(execution.executionId === undefined ? {} : { ExecutionId: execution.executionId }),
    ...(execution.executionType === undefined ? {} : { ExecutionType: execution.executionType }),
  };
}

/** A `ComplianceItem` of ListComplianceItems. */
export function toWireComplianceItem(item: ComplianceItem): Record<string, unknown> {
  return {
    ComplianceType: item.complianceType,
    ResourceType: item.resourceType,
    ResourceId: item.resourceId,
    ...(item.id === undefined ? {} : { Id: item.id }),
    Title: item.title,
    Status: item.status,
    Severity: item.severity,
    ExecutionSummary: toWireExecutionSummary(item.execution),
    Details: item.details,
  };
}

/** A `SeveritySummary`. */
export function toWireSeveritySummary(counts: SeverityCounts): Record<string, number> {
  return {
    CriticalCount: counts.CRITICAL,
    HighCount: counts.HIGH,
    MediumCount: counts.MEDIUM,
    LowCount: counts.LOW,
    InformationalCount: counts.INFORMATIONAL,
    UnspecifiedCount: counts.UNSPECIFIED,
  };
}

/** A `ResourceComplianceSummaryItem` (counts are items). */
export function toWireResourceSummary(set: ComplianceSet): Record<string, unknown> {
  return {
    ComplianceType: set.complianceType,
    ResourceType: set.resourceType,
    ResourceId: set.resourceId,
    Status: set.status,
    OverallSeverity: set.overallSeverity,
    ExecutionSummary: toWireExecutionSummary(set.execution),
    CompliantSummary: {
      CompliantCount: totalOf(set.counts.COMPLIANT),
      SeveritySummary: toWireSeveritySummary(set.counts.COMPLIANT),
    },
    NonCompliantSummary: {
      NonCompliantCount: totalOf(set.counts.NON_COMPLIANT),
      SeveritySummary: toWireSeveritySummary(set.counts.NON_COMPLIANT),
    },
  };
}

/** A `ComplianceSummaryItem` (counts are resources). */
export function toWireComplianceSummary(summary: ComplianceTypeSummary): Record<string, unknown> {
  return {
    ComplianceType: summary.complianceType,
    CompliantSummary: {
      CompliantCount: totalOf(summary.compliant),
      SeveritySummary: toWireSeveritySummary(summary.compliant),
    },
    NonCompliantSummary: {
      NonCompliantCount: totalOf(summary.nonCompliant),
      SeveritySummary: toWireSeveritySummary(summary.nonCompliant),
    },
  };
}
