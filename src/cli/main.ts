/** The `bulwark` command. */
import { Command } from 'commander';
import { registerAdminCommands } from './admin-command.js';
import { registerAuditCommands } from './audit-command.js';
import { registerFindingsCommands } from './findings-command.js';
import { registerServerCommand } from './server-command.js';

const program = new Command('bulwark').description('Bulwark: a self-hosted security hub for server fleets');
registerServerCommand(program);
registerAdminCommands(program);
registerAuditCommands(program);
registerFindingsCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`bulwark: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
