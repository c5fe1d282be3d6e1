/** What the web console is served with, and the console surface the API handler mounts from it. */
import type { Logger } from 'pino';
import type { ConsoleSessions, SignInService } from '../../sessions/index.js';
import type { AwsJsonRouter } from '../aws-json-router.js';
import type { RequestPipeline } from '../pipeline.js';
import type { RestJsonRouter } from '../rest-json-router.js';
import type { ConsoleApiDeps } from './console-api-deps.js';
import { SignInThrottle } from './sign-in-throttle.js';

/** The console's own settings and services (from the node's configuration and service graph). */
export interface ConsoleSettings {
  signIn: SignInService;
  sessions: ConsoleSessions;
  /** The Region a console session acts in by default. */
  region: string;
  /** Sign-in requests one address may make at once, and per minute after that burst. */
  signInBurst: number;
  signInPerMinute: number;
  /** The directory of the built front end (index.html, assets/). */
  assetsDir: string;
  clock?: () => Date;
}

/** What the console shares with the AWS adapters: the pipeline, the route tables, the logger, the transport. */
export interface ConsoleTransport {
  pipeline: RequestPipeline;
  restJson: RestJsonRouter;
  awsJson: AwsJsonRouter;
  logger: Logger;
  /** Whether requests arrive over TLS. */
  secure: boolean;
}

/** The console API's dependencies and the pages' directory. */
export function consoleSurfaceOf(
  settings: ConsoleSettings,
  transport: ConsoleTransport,
): { api: ConsoleApiDeps; assetsDir: string } {
  return {
    assetsDir: settings.assetsDir,
    api: {
      ...transport,
      signIn: settings.signIn,
      sessions: settings.sessions,
      throttle: new SignInThrottle({ burst: settings.signInBurst, perMinute: settings.signInPerMinute }),
      region: settings.region,
      clock: settings.clock ?? (() => new Date()),
    },
  };
}
