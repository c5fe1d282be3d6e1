/** What the standards and security-control operations return, before the wire shapes them. */
import type { ControlDefinition } from './catalogue.js';
import type { StoredParameterValue } from './controls-store.js';
import type { StandardDefinition } from './standards.js';

/** A subscription as the API returns it. */
export interface SubscriptionView {
  standard: StandardDefinition;
  standardsArn: string;
  subscriptionArn: string;
  standardsInput: Record<string, string>;
  status: 'READY' | 'DELETING';
}

/** One control of a standard as DescribeStandardsControls returns it. */
export interface StandardsControlView {
  control: ControlDefinition;
  standardsControlArn: string;
  status: 'ENABLED' | 'DISABLED';
  disabledReason: string | undefined;
  updatedAt: Date;
}

/** A security control of the account, as BatchGetSecurityControls returns it. */
export interface SecurityControlView {
  control: ControlDefinition;
  arn: string;
  status: 'ENABLED' | 'DISABLED';
  parameters: Record<string, StoredParameterValue>;
  lastUpdateReason: string | undefined;
}

/** A control's status in one enabled standard (a standards-control association). */
export interface AssociationView {
  control: ControlDefinition;
  standardsArn: string;
  standardsControlArn: string;
  securityControlArn: string;
  status: 'ENABLED' | 'DISABLED';
  updatedAt: Date;
  updatedReason: string | undefined;
}

/** One association an operation could not read or change. */
export interface UnprocessedAssociation {
  securityControlId: string;
  standardsArn: string;
  code: 'INVALID_INPUT' | 'RESOURCE_NOT_FOUND';
  reason: string;
}

/** A parameter value as UpdateSecurityControl receives it. */
export interface ParameterUpdate {
  ValueType: 'DEFAULT' | 'CUSTOM';
  Value?: Record<string, unknown> | undefined;
}
