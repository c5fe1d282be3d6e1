/** The caller of a console request: a principal acting through a signed-in session, not a signed API request. */
import type { Actor } from '../kernel/index.js';

/** An {@link Actor} whose call came from the web console; authorized and audited like any other caller. */
export interface ConsoleActor extends Actor {
  /** Marks a console call. */
  readonly via: 'console';
  /** The session's public reference (also the actor's accessKeyId, as the audit trail shows it). */
  readonly sessionRef: string;
  /** Whether the session was opened with a TOTP code. */
  readonly mfaAuthenticated: boolean;
}

/** Whether `actor` acts through a console session. */
export function isConsoleActor(actor: Actor): actor is ConsoleActor {
  return (actor as Partial<ConsoleActor>).via === 'console';
}
