/**
 * The console's session endpoints: `POST /console/api/sign-in`, `GET /console/api/session`,
 * `POST /console/api/sign-out`, and the permissions pre-check `POST /console/api/permissions`.
 */
import { z } from 'zod';
import { authorize, requestContext } from '../../access/index.js';
import { ApiError } from '../../kernel/index.js';
import {
  clearedSessionCookie,
  consoleLoginEventName,
  sessionCookie,
  signInEventSource,
  type ResolvedSession,
  type SignInResult,
} from '../../sessions/index.js';
import type { HttpResponse } from '../http-message.js';
import { parseJsonBody } from '../request-body.js';
import type { ConsoleApiDeps } from './console-api-deps.js';
import type { ConsoleCall } from './console-call.js';
import { apiErrorAnswer, consoleError, jsonAnswer } from './console-responses.js';

/** The session as the browser sees it. */
export interface SessionView {
  accountId: string;
  userName: string;
  principalArn: string;
  csrfToken: string;
  mfa: boolean;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  region: string;
}

const signInInput = z.strictObject({
  accountId: z.string().max(64).optional(),
  userName: z.string().min(1).max(128),
  password: z.string().max(4096),
  totpCode: z.string().max(32).optional(),
});

const permissionsInput = z.strictObject({
  actions: z
    .array(
      z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, 'must be an action such as securityhub:GetFindings'),
    )
    .max(200),
});

/** Parses a JSON body with `schema`; InvalidInput naming the first problem. */
async function readInput<T>(call: ConsoleCall, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(parseJsonBody(await call.readBody()));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw new ApiError('InvalidInput', `${path === '' ? 'Request' : path}: ${issue?.message ?? 'is invalid'}`);
}

/** The view of a resolved session. */
export function sessionView(session: ResolvedSession, region: string): SessionView {
  const { actor } = session;
  return {
    accountId: actor.accountId,
    userName: actor.principalName,
    principalArn: actor.principalArn,
    csrfToken: session.csrfToken,
    mfa: actor.mfaAuthenticated,
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    region,
  };
}

/** `POST /console/api/sign-in`: throttled per address, then SignInService (which audits every attempt). */
export async function signIn(call: ConsoleCall, deps: ConsoleApiDeps): Promise<HttpResponse> {
  const now = deps.clock();
  const { envelope } = call;
  const wait = deps.throttle.take(envelope.sourceIp, now);
  if (wait !== undefined) {
    const message = `Too many sign-in attempts from this address. Try again in ${wait} seconds.`;
    await deps.pipeline.refuseUnauthenticated(
      { ...envelope, body: Buffer.alloc(0) },
      { name: consoleLoginEventName, eventSource: signInEventSource },
      new ApiError('Throttled', message),
    );
    return locked(message, wait);
  }
  let input: z.infer<typeof signInInput>;
  try {
    input = await readInput(call, signInInput);
  } catch (error) {
    return apiErrorAnswer(error, envelope.requestId);
  }
  const result = await deps.signIn.signIn({
    accountId: input.accountId,
    userName: input.userName,
    password: input.password,
    totpCode: input.totpCode,
    remoteAddress: envelope.sourceIp,
    userAgent: envelope.userAgent,
    now,
  });
  return signInAnswer(result, input.userName, deps, now);
}

function locked(message: string, retryAfterSeconds: number): HttpResponse {
  return consoleError(
    429,
    'SignInRefused',
    message,
    { reason: 'locked', retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

function signInAnswer(result: SignInResult, userName: string, deps: ConsoleApiDeps, now: Date): HttpResponse {
  if (!result.ok) {
    const { kind, message, retryAfter } = result.refusal;
    if (kind === 'locked') {
      const seconds = Math.max(
        1,
        Math.ceil(((retryAfter?.getTime() ?? now.getTime()) - now.getTime()) / 1000),
      );
      return locked(message, seconds);
    }
    return consoleError(401, 'SignInRefused', message, { reason: kind });
  }
  const { session } = result;
  const view: SessionView = {
    accountId: session.accountId,
    userName,
    principalArn: session.principalArn,
    csrfToken: session.csrfToken,
    mfa: result.mfaUsed,
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    region: deps.region,
  };
  const maxAgeSeconds = (session.absoluteExpiresAt.getTime() - now.getTime()) / 1000;
  const cookie = sessionCookie(session.sessionId, { secure: deps.secure, maxAgeSeconds });
  return jsonAnswer(200, { session: view }, { 'set-cookie': cookie });
}

/** `POST /console/api/sign-out`: ends the session (audited as ConsoleSignOut) and clears the cookie. */
export async function signOut(
  call: ConsoleCall,
  deps: ConsoleApiDeps,
  sessionId: string,
): Promise<HttpResponse> {
  await deps.signIn.signOut(sessionId, {
    now: deps.clock(),
    remoteAddress: call.envelope.sourceIp,
    userAgent: call.envelope.userAgent,
  });
  return jsonAnswer(204, undefined, { 'set-cookie': clearedSessionCookie({ secure: deps.secure }) });
}

/** `POST /console/api/permissions`: which of the actions the session's user may perform (on any resource). */
export async function permissions(
  call: ConsoleCall,
  deps: ConsoleApiDeps,
  session: ResolvedSession,
): Promise<HttpResponse> {
  const input = await readInput(call, permissionsInput);
  const context = requestContext({
    sourceIp: call.envelope.sourceIp,
    region: deps.region,
    now: deps.clock(),
    userAgent: call.envelope.userAgent,
    secureTransport: deps.secure,
  });
  const allowed = new Map<string, boolean>();
  for (const action of input.actions) {
    try {
      authorize(session.actor, action, '*', context);
      allowed.set(action, true);
    } catch {
      allowed.set(action, false);
    }
  }
  return jsonAnswer(200, { allowed: Object.fromEntries(allowed) });
}
