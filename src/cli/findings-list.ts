/** `findings list`: pages through GetFindings and prints a table, a JSON array or JSON lines. */
import type { FindingFilters } from '../findings/filters/index.js';
import type { SortFlag } from './filter-flags.js';

/** One GetFindings page as the command needs it. */
export interface FindingsPage {
  Findings?: Record<string, unknown>[] | undefined;
  NextToken?: string | undefined;
}

/** One GetFindings request. */
export interface FindingsPageRequest {
  Filters: FindingFilters;
  SortCriteria?: SortFlag[];
  MaxResults: number;
  NextToken?: string;
}

/** Fetches one page (the SDK call in the command; a fake in tests). */
export type FetchPage = (request: FindingsPageRequest) => Promise<FindingsPage>;

/** The output formats. */
export const listOutputs = ['table', 'json', 'jsonl'] as const;
/** One output format. */
export type ListOutput = (typeof listOutputs)[number];

/** Yields findings page by page until `max` (when given) or the last page; reports whether more remained. */
export async function* paginateFindings(
  fetchPage: FetchPage,
  request: Omit<FindingsPageRequest, 'MaxResults' | 'NextToken'>,
  max: number | undefined,
  onTruncated: () => void = () => undefined,
): AsyncGenerator<Record<string, unknown>> {
  let returned = 0;
  let nextToken: string | undefined;
  do {
    const pageSize = max === undefined ? 100 : Math.min(100, max - returned);
    const page = await fetchPage({
      ...request,
      MaxResults: pageSize,
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    });
    for (const finding of page.Findings ?? []) {
      if (max !== undefined && returned >= max) break;
      returned++;
      yield finding;
    }
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
    if (max !== undefined && returned >= max) {
      if (nextToken !== undefined) onTruncated();
      return;
    }
  } while (nextToken !== undefined);
}

const headers = ['Severity', 'Workflow', 'Record', 'Product', 'Title', 'Resource', 'UpdatedAt'] as const;

/** The table row of one finding. */
export function tableRow(finding: Record<string, unknown>): string[] {
  const severity = record(finding['Severity']);
  const workflow = record(finding['Workflow']);
  const resources = Array.isArray(finding['Resources']) ? finding['Resources'] : [];
  const first = record(resources[0]);
  const more = resources.length > 1 ? ` (+${resources.length - 1})` : '';
  return [
    text(severity?.['Label']),
    text(workflow?.['Status']),
    text(finding['RecordState']),
    text(finding['ProductName']),
    oneLine(text(finding['Title'])),
    `${text(first?.['Id'])}${more}`,
    shortTimestamp(text(finding['UpdatedAt'])),
  ];
}

/**
 * Lays rows out in columns fitted to `width`: Product is cut to 20 characters, Resource to 40 (keeping
 * its end, where ARNs say what they name) or less on a narrow terminal, and Title gets what is left.
 */
export function formatTable(findings: readonly Record<string, unknown>[], width: number): string {
  const resourceWidth = Number.isFinite(width) ? Math.max(16, Math.min(40, Math.floor(width / 4))) : 40;
  const rows = findings.map(tableRow).map((row) => {
    const copy = [...row];
    copy[3] = truncateEnd(copy[3] ?? '', 20);
    copy[5] = truncateStart(copy[5] ?? '', resourceWidth);
    return copy;
  });
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const titleColumn = 4;
  const others = widths.reduce((sum, w, column) => (column === titleColumn ? sum : sum + w), 0);
  const gaps = 2 * (headers.length - 1);
  widths[titleColumn] = Math.max(10, Math.min(widths[titleColumn] ?? 0, width - others - gaps));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const w = widths[column] ?? 0;
        const fitted = column === titleColumn ? truncateEnd(cell, w) : cell;
        return column === cells.length - 1 ? fitted : fitted.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function shortTimestamp(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Cuts a string to `width` characters, ending in `…` when cut. */
export function truncateEnd(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, Math.max(0, width - 1))}…`;
}

function truncateStart(value: string, width: number): string {
  return value.length <= width ? value : `…${value.slice(value.length - width + 1)}`;
}
