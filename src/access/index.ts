/** The access capability's public door. */
export { AccessService, type KeyIdentity } from './access-service.js';
export { AccessStore } from './access-store.js';
export { SecretBox } from './secret-box.js';
export { loadMasterKey } from './master-key.js';
export { authorize, evaluatePolicies, evaluatePolicy, type PolicyDecision } from './policy.js';
export { requestContext, type ConditionContext, type RequestFacts } from './request-context.js';
export { AccessAdministration, type RotationResult } from './administration.js';
export type { AdministrationChange, AdministrationRecorder } from './administration-change.js';
export { parsePolicyDocument, parsePolicyText, PolicyDocumentError } from './policy-document.js';
export { builtInPolicies, builtInPolicyArn, type BuiltInPolicy } from './builtin-policies.js';
export type {
  AccessKeyStatus,
  AccessKeySummary,
  AccountSummary,
  IssuedCredentials,
  ManagedPolicy,
  Principal,
  PrincipalWithPolicies,
} from './access-model.js';
/** The caller's types belong to the kernel; other capabilities still reach them through this door too. */
export type { Actor, PolicyDocument, PrincipalKind } from '../kernel/index.js';
export { administratorAccessPolicy } from './access-model.js';
export { MembersService, type UnprocessedAccount } from './members-service.js';
export { MembersStore } from './members-store.js';
export type { Membership, MemberStatus } from './members-model.js';
export { userIdOf } from './user-id.js';
