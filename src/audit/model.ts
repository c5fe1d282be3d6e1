/** One API call as the audit trail records it. */
export interface AuditEntry {
  requestId: string;
  eventTime: Date;
  accountId: string | undefined;
  principalArn: string | undefined;
  accessKeyId: string | undefined;
  eventSource: string;
  action: string;
  region: string | undefined;
  sourceIp: string;
  userAgent: string;
  outcome: 'Success' | 'Failure';
  errorCode: string | undefined;
  errorMessage: string | undefined;
}
