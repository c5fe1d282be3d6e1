/** What the console API needs from the rest of the program. */
import type { Logger } from 'pino';
import type { ConsoleSessions, SignInService } from '../../sessions/index.js';
import type { AwsJsonRouter } from '../aws-json-router.js';
import type { RequestPipeline } from '../pipeline.js';
import type { RestJsonRouter } from '../rest-json-router.js';
import type { SignInThrottle } from './sign-in-throttle.js';

/** The console API's collaborators and settings. */
export interface ConsoleApiDeps {
  signIn: SignInService;
  sessions: ConsoleSessions;
  pipeline: RequestPipeline;
  /** Every restJson1 operation (Security Hub's and Bulwark's own `/bulwark/…`). */
  restJson: RestJsonRouter;
  /** Every awsJson1_1 operation (Systems Manager, CloudTrail). */
  awsJson: AwsJsonRouter;
  throttle: SignInThrottle;
  /** The Region a session acts in unless a request names another (`X-Bulwark-Region`). */
  region: string;
  /** Whether the console is served over TLS (the cookie is then Secure). */
  secure: boolean;
  logger: Logger;
  clock: () => Date;
}
