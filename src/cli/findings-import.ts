/** `findings import`: reads findings from files, batches them and sends BatchImportFindings with bounded concurrency. */
import {
  batchBySizeAndCount,
  batchImportLimits,
  fitsInRequest,
  type BatchLimits,
} from './finding-batches.js';
import type { FindingSource, SourcedFinding } from './finding-file-reader.js';
import type { ImportProgress } from './progress.js';
import { retargetFinding, type RetargetTarget } from './retarget-finding.js';

/** A finding Security Hub (or the importer itself) did not import. */
export interface FailedImport {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
  /** `file:line` of the finding, when it could be matched. */
  where?: string;
}

/** What one BatchImportFindings call returned. */
export interface BatchImportResult {
  SuccessCount?: number | undefined;
  FailedCount?: number | undefined;
  FailedFindings?:
    | { Id?: string | undefined; ErrorCode?: string | undefined; ErrorMessage?: string | undefined }[]
    | undefined;
}

/** Sends one batch (the SDK call in the command; a fake in tests). */
export type SendBatch = (findings: Record<string, unknown>[]) => Promise<BatchImportResult>;

/** How to import. */
export interface ImportOptions {
  sources: readonly FindingSource[];
  sendBatch: SendBatch;
  /** Rewrite account and product to this target (`--retarget`). */
  retarget?: RetargetTarget | undefined;
  /** Requests in flight at once; default 4. */
  concurrency?: number;
  limits?: BatchLimits;
  /** How many failed findings to keep in detail; default 20 (the rest are only counted). */
  keepFailures?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/** Why an import stopped early. */
export type ImportStop =
  { kind: 'request'; error: unknown; findingsInRequest: number } | { kind: 'input'; error: unknown };

/** The outcome of an import. */
export interface ImportReport {
  imported: number;
  failedCount: number;
  /** The first `keepFailures` failures. */
  failures: FailedImport[];
  read: number;
  stopped?: ImportStop;
}

interface SizedFinding extends SourcedFinding {
  bytes: number;
}

/** Imports every finding of the sources; never throws for request or input errors (see `stopped`). */
export async function importFindings(options: ImportOptions): Promise<ImportReport> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const limits = options.limits ?? batchImportLimits;
  const keep = options.keepFailures ?? 20;
  const report: ImportReport = { imported: 0, failedCount: 0, failures: [], read: 0 };
  let sent = 0;
  let readDone = false;
  const knownSizes = options.sources.every((source) => source.size !== undefined);
  const totalBytes = options.sources.reduce((sum, source) => sum + (source.size ?? 0), 0);

  const progress = (): void => {
    if (options.onProgress === undefined) return;
    const bytesRead = options.sources.reduce((sum, source) => sum + source.bytesRead(), 0);
    options.onProgress({
      sent,
      failed: report.failedCount,
      read: report.read,
      readDone,
      readFraction: knownSizes && totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : undefined,
    });
  };
  const fail = (failure: FailedImport): void => {
    report.failedCount++;
    if (report.failures.length < keep) report.failures.push(failure);
  };

  // A read error ends the stream here, so the findings read before it still go out; it is reported after.
  let inputError: { error: unknown } | undefined;
  async function* sized(): AsyncGenerator<SizedFinding> {
    try {
      for (const source of options.sources) {
        for await (const read of source.findings()) {
          report.read++;
          const finding =
            options.retarget === undefined ? read.finding : retargetFinding(read.finding, options.retarget);
          const item = { ...read, finding, bytes: Buffer.byteLength(JSON.stringify(finding)) };
          if (fitsInRequest(item, limits)) yield item;
          else {
            fail({
              Id: typeof finding['Id'] === 'string' ? finding['Id'] : '',
              ErrorCode: 'FindingSizeExceeded',
              ErrorMessage: `Finding is ${item.bytes} bytes, more than one request may carry`,
              where: `${read.source}:${read.line}`,
            });
          }
        }
      }
      readDone = true;
    } catch (error) {
      inputError = { error };
    }
  }

  const send = async (batch: SizedFinding[]): Promise<void> => {
    try {
      const result = await options.sendBatch(batch.map((item) => item.finding));
      sent += batch.length;
      const failedFindings = result.FailedFindings ?? [];
      report.imported += result.SuccessCount ?? batch.length - failedFindings.length;
      const byId = new Map<string, SizedFinding[]>();
      for (const item of batch) {
        const id = typeof item.finding['Id'] === 'string' ? item.finding['Id'] : '';
        byId.set(id, [...(byId.get(id) ?? []), item]);
      }
      for (const failed of failedFindings) {
        const id = failed.Id ?? '';
        const item = byId.get(id)?.shift();
        fail({
          Id: id,
          ErrorCode: failed.ErrorCode ?? 'Unknown',
          ErrorMessage: failed.ErrorMessage ?? '',
          ...(item === undefined ? {} : { where: `${item.source}:${item.line}` }),
        });
      }
      progress();
    } catch (error) {
      report.stopped ??= { kind: 'request', error, findingsInRequest: batch.length };
    }
  };

  const inFlight = new Set<Promise<void>>();
  for await (const batch of batchBySizeAndCount(sized(), limits)) {
    if (report.stopped !== undefined) break;
    const request: Promise<void> = send(batch).finally(() => inFlight.delete(request));
    inFlight.add(request);
    progress();
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (inputError !== undefined) report.stopped ??= { kind: 'input', error: inputError.error };
  progress();
  return report;
}

/**
 * A next step for a stopped import: a denied BatchImportFindings of findings sent as read usually means they
 * name another account or product (real scanner output does), which `--retarget` rewrites to the caller's.
 */
export function importStopHint(stop: ImportStop, retargeted: boolean): string | undefined {
  if (stop.kind !== 'request' || retargeted) return undefined;
  const name = stop.error instanceof Error ? stop.error.name : '';
  if (name !== 'AccessDeniedException') return undefined;
  return "the findings may name another account or product (AwsAccountId, ProductArn): add --retarget to import them into your account's default product";
}

/** How many failed findings the summary lists one by one. */
export const shownImportFailures = 20;

/** `imported N, failed M`, then the first failures one per line and a count of the rest. */
export function formatImportSummary(report: ImportReport): string {
  const lines = [`imported ${report.imported}, failed ${report.failedCount}`];
  for (const failure of report.failures.slice(0, shownImportFailures)) {
    const where = failure.where === undefined ? '' : ` (${failure.where})`;
    lines.push(
      `  ${failure.Id === '' ? '<no Id>' : failure.Id}${where}: ${failure.ErrorCode}: ${failure.ErrorMessage}`,
    );
  }
  const rest = report.failedCount - Math.min(report.failures.length, shownImportFailures);
  if (rest > 0) lines.push(`  … and ${rest} more failed finding${rest === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}
