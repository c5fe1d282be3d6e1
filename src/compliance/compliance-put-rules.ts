/** The rules a compliance write must pass before anything is stored: resource type, caller, type and size limits. */
import { ApiError, type Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import {
  complianceLimits,
  complianceTypePattern,
  managedInstanceResourceType,
  type PutComplianceRequest,
} from './compliance-model.js';

/** Only ManagedInstance resources carry compliance: any other type is InvalidResourceType. */
export function checkResourceTypes(resourceTypes: readonly string[] | undefined): void {
  for (const resourceType of resourceTypes ?? []) {
    if (resourceType !== managedInstanceResourceType) {
      throw ssmError(
        'InvalidResourceType',
        `The resource type ${resourceType} is not supported; use ManagedInstance.`,
      );
    }
  }
}

/**
 * Checks a PutComplianceItems request: an instance key (`callerInstanceId`) may only report about itself; the
 * compliance type, upload type, item count and sizes are within the limits.
 */
export function checkPutRequest(
  ctx: Ctx,
  request: PutComplianceRequest,
  callerInstanceId: string | undefined,
): void {
  checkResourceTypes([request.resourceType]);
  if (callerInstanceId !== undefined && callerInstanceId !== request.resourceId) {
    throw new ApiError(
      'AccessDenied',
      `User: ${ctx.actor.principalArn} is not authorized to perform: ssm:PutComplianceItems on resource ${request.resourceId}`,
    );
  }
  if (!complianceTypePattern.test(request.complianceType)) {
    throw ssmError('ValidationException', `The compliance type ${request.complianceType} is not valid.`);
  }
  if ((request.uploadType ?? 'COMPLETE') === 'PARTIAL' && request.complianceType !== 'Association') {
    throw ssmError(
      'ValidationException',
      'UploadType PARTIAL is supported only for the Association compliance type.',
    );
  }
  if (request.items.length > complianceLimits.itemsPerCall) {
    throw ssmError(
      'TotalSizeLimitExceededException',
      `At most ${complianceLimits.itemsPerCall} items per call.`,
    );
  }
  let total = 0;
  for (const item of request.items) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (size > complianceLimits.itemBytes) {
      throw ssmError(
        'ItemSizeLimitExceededException',
        `Compliance item ${item.id ?? ''} is ${size} bytes; the limit is ${complianceLimits.itemBytes}.`,
      );
    }
    total += size;
  }
  if (total > complianceLimits.totalBytes) {
    throw ssmError(
      'TotalSizeLimitExceededException',
      `The items are ${total} bytes in total; the limit is ${complianceLimits.totalBytes}.`,
    );
  }
}
