/** `bulwark findings import|list`: client-side commands that talk to Bulwark (or Security Hub) over the API. */
import {
  BatchImportFindingsCommand,
  DescribeHubCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type GetFindingsCommandInput,
} from '@aws-sdk/client-securityhub';
import type { Command } from 'commander';
import {
  FilterFlagError,
  buildFindingFilters,
  parseSortFlag,
  type FilterFlags,
  type SortFlag,
} from './filter-flags.js';
import { openFindingSource } from './finding-file-reader.js';
import {
  formatImportSummary,
  importFindings,
  importStopHint,
  shownImportFailures,
} from './findings-import.js';
import { formatTable, listOutputs, paginateFindings, type ListOutput } from './findings-list.js';
import { createProgressDisplay } from './progress.js';
import { retargetTargetFromHubArn } from './retarget-finding.js';
import {
  addConnectionOptions,
  createSecurityHubClient,
  describeRequestError,
  type ConnectionFlags,
} from './securityhub-client.js';

interface ImportFlags extends ConnectionFlags {
  retarget?: boolean;
  concurrency: string;
  progress: boolean;
}

interface ListFlags extends ConnectionFlags, FilterFlags {
  sort?: string[];
  max?: string;
  output: string;
}

/** Exit codes of `findings import`. */
export const importExitCodes = { ok: 0, requestError: 1, someFailed: 2 } as const;

/** Registers the `findings` command group. */
export function registerFindingsCommands(program: Command): void {
  const findings = program
    .command('findings')
    .description('import and list findings through the Security Hub API (standard AWS credentials)');

  addConnectionOptions(
    findings
      .command('import')
      .description(
        'import ASFF findings: JSON arrays, {"Findings":[…]} (get-findings, Trivy), JSON lines or Prowler output; "-" reads stdin',
      )
      .argument('<file...>', 'files of findings ("-" for stdin)')
      .option('--retarget', "rewrite AwsAccountId and ProductArn to the caller's account and default product")
      .option('--concurrency <n>', 'requests in flight at once (1-16)', '4')
      .option('--no-progress', 'do not show progress on stderr')
      .addHelpText(
        'after',
        [
          '',
          'Exit status: 0 every finding imported; 2 some findings failed (listed, first 20);',
          '1 a request failed (the AWS exception is printed) or a file could not be read.',
          '',
          'Examples:',
          '  bulwark findings import --retarget prowler-output.asff.json trivy.asff.json',
          '  aws securityhub get-findings ... | bulwark findings import --retarget -',
        ].join('\n'),
      ),
  ).action(async (files: string[], flags: ImportFlags) => {
    process.exitCode = await runImportCommand(files, flags);
  });

  addConnectionOptions(
    findings
      .command('list')
      .description('list findings (GetFindings) with filters as flags')
      .option(
        '--filter <KEY=COMPARISON:VALUE>',
        'a filter, e.g. SeverityLabel=EQUALS:CRITICAL, SeverityNormalized=gte:70, UpdatedAt=within:7d (repeatable)',
        collect,
      )
      .option('--severity <label>', 'SeverityLabel equals (repeatable)', collect)
      .option(
        '--workflow <status>',
        'WorkflowStatus equals NEW|NOTIFIED|RESOLVED|SUPPRESSED (repeatable)',
        collect,
      )
      .option('--record-state <state>', 'RecordState equals ACTIVE|ARCHIVED')
      .option('--product-name <name>', 'ProductName equals')
      .option('--resource-id <id>', 'ResourceId equals')
      .option('--type-prefix <prefix>', 'Type starts with')
      .option('--title-contains <text>', 'Title contains')
      .option(
        '--filters-json <json>',
        'AwsSecurityFindingFilters as JSON (or file://PATH); the flags above are added to it',
      )
      .option('--sort <field:order>', 'sort, e.g. SeverityNormalized:desc (repeatable)', collect)
      .option('--max <n>', 'at most this many findings (default: all)')
      .option('--output <format>', 'table|json|jsonl', 'table')
      .addHelpText(
        'after',
        [
          '',
          'Filter values by key type: string KEY=EQUALS|PREFIX|NOT_EQUALS|PREFIX_NOT_EQUALS|CONTAINS|NOT_CONTAINS:VALUE;',
          'number KEY=gte|lte|eq|gt|lt:N[,…]; date KEY=within:7d|older_than:30d|start:TS|end:TS[,…];',
          'map KEY=EQUALS:name=value; ip KEY=CIDR; boolean Sample=true|false.',
          '',
          'Examples:',
          '  bulwark findings list --severity CRITICAL --severity HIGH --record-state ACTIVE',
          '  bulwark findings list --filter SeverityNormalized=gte:70 --filter UpdatedAt=within:7d --sort UpdatedAt:desc',
          '  bulwark findings list --product-name Trivy --max 50 --output jsonl',
        ].join('\n'),
      ),
  ).action(async (flags: ListFlags) => {
    process.exitCode = await runListCommand(flags);
  });
}

// Titles are cut to the terminal; piped output keeps them whole unless COLUMNS says otherwise.
function terminalWidth(): number {
  if (process.stdout.isTTY) return process.stdout.columns;
  const columns = Number(process.env['COLUMNS']);
  return Number.isInteger(columns) && columns > 0 ? columns : Number.POSITIVE_INFINITY;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function runImportCommand(files: string[], flags: ImportFlags): Promise<number> {
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw new Error('--concurrency must be an integer from 1 to 16');
  if (files.filter((file) => file === '-').length > 1) throw new Error('stdin ("-") can be read only once');
  const sources = await Promise.all(files.map((file) => openFindingSource(file)));
  const { client, connection } = createSecurityHubClient(flags);
  try {
    let target;
    if (flags.retarget === true) {
      try {
        const hub = await client.send(new DescribeHubCommand({}));
        target = retargetTargetFromHubArn(hub.HubArn ?? '');
      } catch (error) {
        process.stderr.write(`bulwark: DescribeHub failed: ${describeRequestError(error, connection)}\n`);
        return importExitCodes.requestError;
      }
    }
    const display = flags.progress
      ? createProgressDisplay({ stream: process.stderr, tty: process.stderr.isTTY })
      : undefined;
    const report = await importFindings({
      sources,
      retarget: target,
      concurrency,
      keepFailures: shownImportFailures,
      sendBatch: (findings) =>
        client.send(
          new BatchImportFindingsCommand({ Findings: findings as unknown as AwsSecurityFinding[] }),
        ),
      ...(display === undefined ? {} : { onProgress: (progress) => display.update(progress) }),
    });
    display?.finish();
    process.stdout.write(formatImportSummary(report));
    if (report.stopped?.kind === 'request') {
      process.stderr.write(
        `bulwark: import stopped: ${describeRequestError(report.stopped.error, connection)} (${report.stopped.findingsInRequest} findings in that request were not imported)\n`,
      );
      const hint = importStopHint(report.stopped, target !== undefined);
      if (hint !== undefined) process.stderr.write(`bulwark: hint: ${hint}\n`);
      return importExitCodes.requestError;
    }
    if (report.stopped?.kind === 'input') {
      const error = report.stopped.error;
      process.stderr.write(
        `bulwark: import stopped: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return importExitCodes.requestError;
    }
    return report.failedCount > 0 ? importExitCodes.someFailed : importExitCodes.ok;
  } finally {
    client.destroy();
  }
}

async function runListCommand(flags: ListFlags): Promise<number> {
  let filters;
  let sort: SortFlag[];
  let max: number | undefined;
  const output = flags.output as ListOutput;
  try {
    if (!listOutputs.includes(output))
      throw new FilterFlagError(`--output must be one of ${listOutputs.join(', ')}`);
    if (flags.max !== undefined) {
      max = Number(flags.max);
      if (!/^\d+$/.test(flags.max.trim()) || max < 1)
        throw new FilterFlagError('--max must be a positive integer');
    }
    filters = buildFindingFilters(flags);
    sort = (flags.sort ?? []).map(parseSortFlag);
  } catch (error) {
    if (!(error instanceof FilterFlagError)) throw error;
    process.stderr.write(`bulwark: ${error.message}\n`);
    return 1;
  }
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const { client, connection } = createSecurityHubClient(flags);
  let truncated = false;
  const findings = paginateFindings(
    async (request) => {
      const page = await client.send(new GetFindingsCommand(request as unknown as GetFindingsCommandInput));
      return { Findings: page.Findings as Record<string, unknown>[] | undefined, NextToken: page.NextToken };
    },
    { Filters: filters, ...(sort.length > 0 ? { SortCriteria: sort } : {}) },
    max,
    () => (truncated = true),
  );
  try {
    if (output === 'table') {
      const rows: Record<string, unknown>[] = [];
      for await (const finding of findings) rows.push(finding);
      if (rows.length === 0) process.stderr.write('no findings\n');
      else process.stdout.write(formatTable(rows, terminalWidth()));
    } else if (output === 'json') {
      let count = 0;
      for await (const finding of findings) {
        process.stdout.write(
          `${count === 0 ? '[\n' : ',\n'}${JSON.stringify(finding, null, 2).replace(/^/gm, '  ')}`,
        );
        count++;
      }
      process.stdout.write(count === 0 ? '[]\n' : '\n]\n');
    } else {
      for await (const finding of findings) process.stdout.write(`${JSON.stringify(finding)}\n`);
    }
    if (truncated) process.stderr.write(`(stopped at --max ${max}; more findings match)\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`bulwark: ${describeRequestError(error, connection)}\n`);
    return 1;
  } finally {
    client.destroy();
  }
}
