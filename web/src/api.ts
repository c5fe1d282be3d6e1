/**
 * The console's thin client for the JSON API under /console/api/ (docs/CONSOLE.md): the session, the CSRF header
 * on every state-changing call, and AWS errors as one typed error. A 401 sends the user back to sign-in.
 */

/** The signed-in user's session as GET /console/api/session answers it. */
export interface Session {
  accountId: string;
  userName: string;
  principalArn: string;
  csrfToken: string;
  mfa: boolean;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  region: string;
}

/** An error answer: `__type` and `message` as the AWS protocols shape them, plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Whether the caller's policies refused the call. */
  get denied(): boolean {
    return this.status === 403 && /AccessDenied/i.test(this.type);
  }
}

type Json = Record<string, unknown>;

let csrfToken: string | undefined;
let region: string | undefined;
let signedOut: () => void = () => undefined;

/** The Region later calls act in (header X-Bulwark-Region); undefined: the session's. */
export function chooseRegion(name: string | undefined): void {
  region = name;
}

/** Remembers the session's CSRF token for later state-changing calls. */
export function rememberSession(session: Session | undefined): void {
  csrfToken = session?.csrfToken;
  region = undefined;
}

/** What to do when a call answers 401 (the session ended): the shell shows the sign-in page. */
export function onSignedOut(handler: () => void): void {
  signedOut = handler;
}

function errorOf(status: number, body: Json): ApiError {
  const rawType = typeof body['__type'] === 'string' ? body['__type'] : `Http${status}`;
  const type = rawType.includes('#') ? (rawType.split('#').pop() ?? rawType) : rawType;
  const text = body['message'] ?? body['Message'];
  return new ApiError(
    status,
    type,
    typeof text === 'string' ? text : `The request failed (${status}).`,
    body,
  );
}

/** One call to the console API; answers the JSON body or throws an {@link ApiError}. */
export async function request<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  if (region !== undefined) headers['x-bulwark-region'] = region;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`/console/api${path}`, init);
  const text = await response.text();
  let parsed: Json = {};
  if (text !== '') {
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      parsed = { message: text };
    }
  }
  if (!response.ok) {
    const error = errorOf(response.status, parsed);
    if (response.status === 401 && !path.startsWith('/sign-in')) signedOut();
    throw error;
  }
  return parsed as T;
}

/** A Security Hub (or Bulwark restJson1) operation at its REST path, e.g. `securityhub('POST', '/findings', …)`. */
export function securityhub<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
  return request<T>(method, `/securityhub${path}`, body);
}

/** An SSM operation by name with its JSON input. */
export function ssm<T = Json>(operation: string, input: unknown = {}): Promise<T> {
  return request<T>('POST', `/ssm/${operation}`, input);
}

/** A CloudTrail operation by name with its JSON input. */
export function cloudtrail<T = Json>(operation: string, input: unknown = {}): Promise<T> {
  return request<T>('POST', `/cloudtrail/${operation}`, input);
}

/** Input of POST /console/api/sign-in. */
export interface SignInInput {
  accountId?: string;
  userName: string;
  password: string;
  totpCode?: string;
}

/** Signs in; answers the new session or throws the refusal (its `body.reason` says which). */
export async function signIn(input: SignInInput): Promise<Session> {
  return (await request<{ session: Session }>('POST', '/sign-in', input)).session;
}

/** The current session, or undefined when nobody is signed in. */
export async function currentSession(): Promise<Session | undefined> {
  try {
    return (await request<{ session: Session }>('GET', '/session')).session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

/** Ends the session. */
export async function signOut(): Promise<void> {
  await request('POST', '/sign-out');
}

/** Which of `actions` the signed-in user may perform (authorize() against resource `*`). */
export async function permissions(actions: readonly string[]): Promise<Record<string, boolean>> {
  return (await request<{ allowed: Record<string, boolean> }>('POST', '/permissions', { actions })).allowed;
}

/** The text to show for any error thrown by a call. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return `${error.type}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
