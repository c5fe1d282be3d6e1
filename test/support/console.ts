/**
 * E2E support for the web console's API: console users made in-process (a principal with policies and a console
 * password, optionally a TOTP secret), and a cookie-keeping client that calls `/console/api/` over real HTTP.
 */
import { join } from 'node:path';
import { SecretBox, loadMasterKey } from '../../src/access/index.js';
import { ConsoleCredentialAdministration } from '../../src/sessions/index.js';
import type { InProcessServer } from './in-process-server.js';

/** The password every test console user gets. */
export const consolePassword = 'a long console password';

/** A console user: where it lives and, when enrolled, its TOTP secret. */
export interface ConsoleUser {
  accountId: string;
  userName: string;
  totpSecret?: string;
}

/** Creates user `userName` in `accountId` with `policies` and sets its console password (and TOTP, if asked). */
export async function createConsoleUser(
  server: InProcessServer,
  accountId: string,
  userName: string,
  policies: string[],
  options: { totp?: boolean } = {},
): Promise<ConsoleUser> {
  const now = new Date();
  await server.app.access.administration.createPrincipal(
    { accountId, kind: 'user', name: userName, policies },
    now,
  );
  const box = new SecretBox(loadMasterKey(join(server.dataDir, 'master.key'), undefined));
  const credentials = new ConsoleCredentialAdministration(server.app.db, box);
  await credentials.setPassword({ accountId, userName }, consolePassword, now);
  if (options.totp !== true) return { accountId, userName };
  const enrolled = await credentials.enrollTotp({ accountId, userName }, { replace: false }, now);
  return { accountId, userName, totpSecret: enrolled.secret };
}

/** One answer of the console API. */
export interface ConsoleAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** What `call` may add to a request. */
export interface CallOptions {
  /** Sends no CSRF token (`false`), or this one instead of the session's. */
  csrf?: false | string;
  headers?: Record<string, string>;
}

/** A browser's view of the console: its cookie and the CSRF token of its session. */
export class ConsoleBrowser {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly endpoint: string) {}

  /** Signs in; keeps the cookie and CSRF token on success. */
  async signIn(input: Record<string, unknown>): Promise<ConsoleAnswer> {
    const answer = await this.request<Record<string, unknown>>('POST', '/console/api/sign-in', input, {
      csrf: false,
    });
    if (answer.status === 200) {
      const session = answer.body['session'] as { csrfToken: string };
      this.csrfToken = session.csrfToken;
    }
    return answer;
  }

  /** Signs `user` in with the test password (and a current TOTP code when given one); throws unless it works. */
  async signInAs(user: ConsoleUser, totpCode?: string): Promise<this> {
    const answer = await this.signIn({
      accountId: user.accountId,
      userName: user.userName,
      password: consolePassword,
      ...(totpCode === undefined ? {} : { totpCode }),
    });
    if (answer.status !== 200)
      throw new Error(`sign-in failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return this;
  }

  /** Calls the console API (with the session's CSRF token unless told otherwise). */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<ConsoleAnswer<T>> {
    return this.request<T>(method, `/console/api/${path}`, body, options);
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    options: CallOptions,
  ): Promise<ConsoleAnswer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (this.cookie !== undefined) headers['cookie'] = this.cookie;
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf !== false && csrf !== undefined) headers['x-csrf-token'] = csrf;
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) {
      const [pair = ''] = setCookie.split(';');
      this.cookie = /Max-Age=0(;|$)/.test(setCookie) ? undefined : pair;
    }
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === '' ? {} : JSON.parse(text)) as T,
    };
  }
}
