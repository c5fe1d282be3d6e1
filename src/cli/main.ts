/** The `bulwark` command. */
import { Command } from 'commander';

const { registerAgentCommands } = await import('./agent-command.js');
const program = new Command('bulwark').description('Bulwark: a self-hosted security hub for server fleets');

// `bulwark agent …` runs on every managed host: load only the agent's modules, never the server's.
if (process.argv[2] === 'agent') {
  registerAgentCommands(program);
  (await import('./agent-scan-command.js')).registerAgentScanCommand(program);
} else {
  const [{ registerServerCommand }, { registerAdminCommands }, { registerAuditCommands }, findings] =
    await Promise.all([
      import('./server-command.js'),
      import('./admin-command.js'),
      import('./audit-command.js'),
      import('./findings-command.js'),
    ]);
  registerServerCommand(program);
  registerAdminCommands(program);
  registerAuditCommands(program);
  findings.registerFindingsCommands(program);
  (await import('./events-command.js')).registerEventsCommands(program);
  registerAgentCommands(program);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`bulwark: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
