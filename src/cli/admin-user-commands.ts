/** `bulwark admin set-password|enroll-totp|disable-totp`: a user's web-console credentials. */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { SecretBox, loadMasterKey, type AdministrationRecorder } from '../access/index.js';
import {
  AuditAnchor,
  AuditStore,
  auditAnchorFiles,
  compactParameters,
  resourceOfArn,
  type AnchoredHead,
} from '../audit/index.js';
import { loadConfig, type ConfigInput } from '../app/config.js';
import { ConsoleCredentialAdministration, passwordProblem } from '../sessions/index.js';
import { openDatabase } from '../storage/open-database.js';
import { addAdminOptions, print, type AdminFlags } from './admin-context.js';

interface UserFlags extends AdminFlags {
  user: string;
  account?: string;
}

interface EnrollFlags extends UserFlags {
  replace?: boolean;
}

/** Runs `body` with the console credential administration of the configured database, then closes it. */
async function withConsoleCredentials<T>(
  flags: AdminFlags,
  body: (administration: ConsoleCredentialAdministration) => Promise<T>,
): Promise<T> {
  const input: ConfigInput = {};
  if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
  if (flags.database !== undefined) input.database = flags.database;
  const config = loadConfig(input, process.env, flags.config);
  const { db } = await openDatabase(config.database);
  try {
    const audit = new AuditStore(new AuditAnchor(auditAnchorFiles(config.dataDir)));
    let last: AnchoredHead | undefined;
    const record: AdministrationRecorder = async (tx, change) => {
      const osUser = localUserName();
      last = await audit.append(tx, {
        eventId: randomUUID(),
        requestId: randomUUID(),
        eventTime: new Date(),
        eventSource: 'iam.amazonaws.com',
        eventName: change.eventName,
        region: undefined,
        sourceIp: hostname(),
        userAgent: 'bulwark-admin',
        identity: {
          type: 'Unknown',
          principalId: `bulwark-admin:${osUser}`,
          arn: undefined,
          accountId: change.accountId,
          accessKeyId: undefined,
          userName: `bulwark-admin:${osUser}`,
        },
        readOnly: false,
        errorCode: undefined,
        errorMessage: undefined,
        requestParameters: compactParameters(change.parameters),
        responseElements: change.response,
        resource: change.resourceArn === undefined ? undefined : resourceOfArn(change.resourceArn),
      });
    };
    const secrets = new SecretBox(loadMasterKey(config.masterKeyFile, process.env['BULWARK_MASTER_KEY']));
    const result = await body(new ConsoleCredentialAdministration(db, secrets, record));
    try {
      if (last !== undefined) audit.committed(last);
    } catch (error) {
      process.stderr.write(
        `warning: the change is made, but its audit record was not anchored: ${String(error)}\n`,
      );
    }
    return result;
  } finally {
    await db.destroy();
  }
}

function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
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
