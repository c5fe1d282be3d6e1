/** `bulwark admin set-password|enroll-totp|disable-totp`: a user's web-console credentials. */
import type { Command } from 'commander';
import { ConsoleCredentialAdministration, passwordProblem } from '../sessions/index.js';
import { addAdminOptions, print, withAuditedAdmin, type AdminFlags } from './admin-context.js';

interface UserFlags extends AdminFlags {
  user: string;
  account?: string;
}

interface EnrollFlags extends UserFlags {
  replace?: boolean;
}

/** Runs `body` with the console credential administration of the configured database, audited, then closes it. */
function withConsoleCredentials<T>(
  flags: AdminFlags,
  body: (administration: ConsoleCredentialAdministration) => Promise<T>,
): Promise<T> {
  return withAuditedAdmin(flags, ({ db, secrets, record }) =>
    body(new ConsoleCredentialAdministration(db, secrets, record)),
  );
}

/** Reads one line typed at the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed.push(char);
      }
    };
    input.on('data', onData);
  });
}

/** Everything piped to stdin, up to its first line end. */
async function readPipedLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** The new password: typed twice at a terminal (not echoed), or the first line of piped stdin; never argv. */
async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const piped = await readPipedLine();
    if (piped === '')
      throw new Error('no password on stdin (pipe it in, or run at a terminal to be prompted)');
    return piped;
  }
  const password = await promptHidden('New console password: ');
  const problem = passwordProblem(password);
  if (problem !== undefined) throw new Error(problem);
  if ((await promptHidden('Repeat it: ')) !== password) throw new Error('the two passwords differ');
  return password;
}

function userOptions(command: Command): Command {
  return addAdminOptions(
    command
      .requiredOption('--user <name>', 'the user (NAME or user/NAME)')
      .option('--account <id>', 'account id (required once several accounts exist)'),
  );
}

const reference = (flags: UserFlags) => ({ accountId: flags.account, userName: flags.user });

/** Registers the console credential subcommands. */
export function registerAdminUserCommands(admin: Command): void {
  userOptions(
    admin
      .command('set-password')
      .description(
        'set a user’s web-console password (at least 12 characters), read from stdin or typed at the prompt; ends the user’s console sessions',
      ),
  ).action(async (flags: UserFlags) => {
    const password = await readNewPassword();
    const set = await withConsoleCredentials(flags, (administration) =>
      administration.setPassword(reference(flags), password, new Date()),
    );
    print(flags, set, () => [
      `${set.replaced ? 'changed' : 'set'} the console password of ${set.principalArn}`,
      `console sessions ended: ${set.sessionsEnded}`,
    ]);
  });

  userOptions(
    admin
      .command('enroll-totp')
      .description(
        'create a user’s TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s) for console sign-in; prints it once',
      )
      .option('--replace', 'replace the user’s existing TOTP secret'),
  ).action(async (flags: EnrollFlags) => {
    const enrollment = await withConsoleCredentials(flags, (administration) =>
      administration.enrollTotp(reference(flags), { replace: flags.replace === true }, new Date()),
    );
    print(flags, enrollment, () => [
      `principal:   ${enrollment.principalArn}`,
      `secret:      ${enrollment.secret}`,
      `otpauth URI: ${enrollment.otpauthUri}`,
      'Add it to an authenticator app now: it is not shown again.',
    ]);
  });

  userOptions(
    admin
      .command('disable-totp')
      .description('remove a user’s TOTP secret: the password alone then signs in to the console'),
  ).action(async (flags: UserFlags) => {
    const disabled = await withConsoleCredentials(flags, (administration) =>
      administration.disableTotp(reference(flags), new Date()),
    );
    print(flags, disabled, () => [`removed the TOTP device of ${disabled.principalArn}`]);
  });
}
