/**
 * The agent's outbox: every report to the hub is first written here, one JSON file per report named
 * `<sequence>-<kind>-<reportId>.json`, and removed only after the hub acknowledged it. Delivery is oldest
 * first; the directory survives restarts; it is bounded by count and bytes, dropping the oldest (with a
 * warning) when full. A report the hub rejects (it will never accept it) moves, with the hub's error, to the
 * rejected directory (`<state-dir>/rejected/`), so it neither blocks the reports behind it nor vanishes.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './identity-store.js';

/** One report waiting for the hub. */
export interface SpooledReport {
  /** Unique id, also the hub-side idempotency key for reports that are not idempotent by content. */
  reportId: string;
  /** `inventory`, `command-result`, …: lower-case letters, digits and dashes. */
  kind: string;
  /** The hub operation, e.g. `AmazonSSM.PutInventory`. */
  target: string;
  body: Record<string, unknown>;
  /** ISO time it was spooled. */
  createdAt: string;
  /**
   * A snapshot of state (like inventory) replaces older pending snapshots of the same kind, since
   * delivering them first would only be overwritten.
   */
  replacesOlder?: boolean;
}

/** A spooled report with where it lives. */
export interface SpoolEntry {
  sequence: number;
  file: string;
  report: SpooledReport;
}

/** How the spool reports trouble. */
export interface SpoolLogger {
  warn(message: string): void;
}

/** Limits of the spool. */
export interface SpoolOptions {
  maxReports?: number;
  maxBytes?: number;
  logger?: SpoolLogger;
  /** Where rejected reports are kept (at most `maxReports`, the oldest dropped); default `<directory>/../rejected`. */
  rejectedDirectory?: string;
}

/** What delivery of one report ended in: acknowledged, or refused for good with the hub's error. */
export type DeliveryOutcome = 'delivered' | { rejected: string };

/** A rejected report as kept in the rejected directory. */
export interface RejectedReport extends SpooledReport {
  rejectedAt: string;
  /** The hub's answer. */
  error: string;
}

const NAME_PATTERN = /^(\d{16})-([a-z0-9-]+?)-([A-Za-z0-9-]{1,64})\.json$/;
const DEFAULT_MAX_REPORTS = 1000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

interface FileInfo {
  sequence: number;
  kind: string;
  name: string;
  size: number;
}

/** A directory of pending reports. */
export class ReportSpool {
  private files: FileInfo[] = [];
  private nextSequence = 1;
  private readonly maxReports: number;
  private readonly maxBytes: number;
  private readonly logger: SpoolLogger;
  private opened = false;
  /** The delivery running now (settled when none is). */
  private delivering: Promise<number> = Promise.resolve(0);
  /** Where rejected reports go. */
  readonly rejectedDirectory: string;

  constructor(
    readonly directory: string,
    options: SpoolOptions = {},
  ) {
    this.rejectedDirectory = options.rejectedDirectory ?? path.join(path.dirname(directory), 'rejected');
    this.maxReports = options.maxReports ?? DEFAULT_MAX_REPORTS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.logger = options.logger ?? { warn: (message) => process.stderr.write(`${message}\n`) };
  }

  /** Scans the directory (after a restart, the pending reports are exactly the files left). */
  async open(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const files: FileInfo[] = [];
    for (const name of await readdir(this.directory)) {
      if (name.endsWith('.tmp')) {
        // A write that crashed before its rename: it was never acknowledged as spooled.
        await unlink(path.join(this.directory, name)).catch(() => undefined);
        continue;
      }
      const match = NAME_PATTERN.exec(name);
      if (match === null) continue;
      const info = await stat(path.join(this.directory, name)).catch(() => undefined);
      if (info === undefined) continue;
      files.push({ sequence: Number(match[1]), kind: match[2] ?? '', name, size: info.size });
    }
    files.sort((a, b) => a.sequence - b.sequence);
    this.files = files;
    this.nextSequence = (files.at(-1)?.sequence ?? 0) + 1;
    this.opened = true;
  }

  private requireOpen(): void {
    if (!this.opened) throw new Error('ReportSpool.open() was not called');
  }

  /** Pending reports. */
  get size(): number {
    return this.files.length;
  }

  /** Bytes of pending reports on disk. */
  get bytes(): number {
    return this.files.reduce((total, file) => total + file.size, 0);
  }

  /** Writes a report durably (fsync + rename) and returns it; drops the oldest when over the limits. */
  async enqueue(
    input: Omit<SpooledReport, 'reportId' | 'createdAt'> & { reportId?: string; createdAt?: string },
  ): Promise<SpooledReport> {
    this.requireOpen();
    if (!/^[a-z0-9-]+$/.test(input.kind)) throw new Error(`invalid report kind '${input.kind}'`);
    const report: SpooledReport = {
      ...input,
      reportId: input.reportId ?? randomUUID(),
      createdAt: input.createdAt ?? new Date().toISOString(),
    };
    const sequence = this.nextSequence++;
    const name = `${String(sequence).padStart(16, '0')}-${report.kind}-${report.reportId}.json`;
    if (!NAME_PATTERN.test(name)) throw new Error(`invalid report id '${report.reportId}'`);
    const text = JSON.stringify(report);
    await writeFileAtomic(path.join(this.directory, name), text, 0o600);
    if (report.replacesOlder === true) {
      for (const older of this.files.filter((file) => file.kind === report.kind)) {
        await this.remove(older.name);
      }
    }
    this.files.push({ sequence, kind: report.kind, name, size: Buffer.byteLength(text) });
    await this.enforceLimits();
    return report;
  }

  private async enforceLimits(): Promise<void> {
    while (this.files.length > 1 && (this.files.length > this.maxReports || this.bytes > this.maxBytes)) {
      const oldest = this.files[0];
      if (oldest === undefined) break;
      this.logger.warn(
        `report spool full (${this.files.length} reports, ${this.bytes} bytes; limits ${this.maxReports}, ` +
          `${this.maxBytes}): dropping the oldest report ${oldest.name}`,
      );
      await this.remove(oldest.name);
    }
  }

  private async remove(name: string): Promise<void> {
    this.files = this.files.filter((file) => file.name !== name);
    await unlink(path.join(this.directory, name)).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    });
  }

  /** The pending reports, oldest first. */
  async list(): Promise<SpoolEntry[]> {
    this.requireOpen();
    const entries: SpoolEntry[] = [];
    for (const file of [...this.files]) {
      const entry = await this.read(file);
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  private async read(file: FileInfo): Promise<SpoolEntry | undefined> {
    const full = path.join(this.directory, file.name);
    try {
      const report = JSON.parse(await readFile(full, 'utf8')) as SpooledReport;
      return { sequence: file.sequence, file: full, report };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') {
        this.files = this.files.filter((other) => other.name !== file.name);
        return undefined;
      }
      this.logger.warn(`report spool: ${file.name} is unreadable and is dropped`);
      await this.remove(file.name);
      return undefined;
    }
  }

  /**
   * Delivers pending reports oldest first through `send`, removing each after `send` resolved (the hub
   * acknowledged it); a rejected one moves to the rejected directory with the hub's error. The first thrown
   * error stops delivery, leaving that report and all newer ones in place. Returns how many left the spool.
   * Deliveries run one at a time (a second call waits for the first), so reports go out once and in order.
   */
  deliver(send: (report: SpooledReport) => Promise<DeliveryOutcome>): Promise<number> {
    this.requireOpen();
    const delivery = this.delivering.then(() => this.deliverInOrder(send));
    this.delivering = delivery.catch(() => 0);
    return delivery;
  }

  private async deliverInOrder(send: (report: SpooledReport) => Promise<DeliveryOutcome>): Promise<number> {
    let removed = 0;
    while (this.files.length > 0) {
      const file = this.files[0];
      if (file === undefined) break;
      const entry = await this.read(file);
      if (entry === undefined) continue;
      const outcome = await send(entry.report);
      if (outcome !== 'delivered') {
        const kept = await this.keepRejected(file.name, entry.report, outcome.rejected);
        this.logger.warn(
          `report ${entry.report.reportId} (${entry.report.kind}) was rejected by the hub ` +
            `(${outcome.rejected}); moved to ${kept}`,
        );
      }
      await this.remove(file.name);
      removed += 1;
    }
    return removed;
  }

  /** Writes a rejected report with its error to the rejected directory; keeps at most `maxReports` there. */
  private async keepRejected(name: string, report: SpooledReport, error: string): Promise<string> {
    await mkdir(this.rejectedDirectory, { recursive: true, mode: 0o700 });
    const kept: RejectedReport = { ...report, rejectedAt: new Date().toISOString(), error };
    const file = path.join(this.rejectedDirectory, name);
    await writeFileAtomic(file, JSON.stringify(kept), 0o600);
    const names = (await readdir(this.rejectedDirectory)).filter((other) => NAME_PATTERN.test(other)).sort();
    for (const old of names.slice(0, Math.max(0, names.length - this.maxReports))) {
      this.logger.warn(`rejected reports over ${this.maxReports}: dropping the oldest, ${old}`);
      await unlink(path.join(this.rejectedDirectory, old)).catch(() => undefined);
    }
    return file;
  }

  /** The rejected reports kept, oldest first. */
  async listRejected(): Promise<RejectedReport[]> {
    const names = await readdir(this.rejectedDirectory).catch(() => [] as string[]);
    const reports: RejectedReport[] = [];
    for (const name of names.filter((other) => NAME_PATTERN.test(other)).sort()) {
      const text = await readFile(path.join(this.rejectedDirectory, name), 'utf8').catch(() => undefined);
      if (text !== undefined) reports.push(JSON.parse(text) as RejectedReport);
    }
    return reports;
  }
}
