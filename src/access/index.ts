/** The access capability's public door. */
export { AccessService, type KeyIdentity } from './service.js';
export { AccessStore } from './store.js';
export { SecretBox } from './secret-box.js';
export { loadMasterKey } from './master-key.js';
export { authorize, evaluatePolicy } from './policy.js';
export type { Actor, IssuedCredentials, PolicyDocument } from './model.js';
export { administratorAccessPolicy } from './model.js';
