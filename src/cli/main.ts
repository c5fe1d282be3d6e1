/** The `bulwark` command. */
import { Command } from 'commander';

/** Adds one top-level command (and its subcommands) to the program, loading only that command's modules. */
type Registrar = (program: Command) => Promise<void>;

const registrars: Record<string, Registrar> = {
  server: async (program) => (await import('./server-command.js')).registerServerCommand(program),
  admin: async (program) => (await import('./admin-command.js')).registerAdminCommands(program),
  audit: async (program) => (await import('./audit-command.js')).registerAuditCommands(program),
  findings: async (program) => (await import('./findings-command.js')).registerFindingsCommands(program),
  events: async (program) => (await import('./events-command.js')).registerEventsCommands(program),
  // `bulwark agent …` runs on every managed host: it loads only the agent's modules, never the server's.
  agent: async (program) => {
    (await import('./agent-command.js')).registerAgentCommands(program);
    (await import('./agent-scan-command.js')).registerAgentScanCommand(program);
  },
};

const program = new Command('bulwark').description('Bulwark: a self-hosted security hub for server fleets');

// A command starts as fast as its own modules load; help and unknown commands need every command listed.
const invoked = registrars[process.argv[2] ?? ''];
if (invoked !== undefined) await invoked(program);
else for (const register of Object.values(registrars)) await register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`bulwark: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
