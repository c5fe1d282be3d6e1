/** The import progress display: a redrawn bar on a terminal, periodic plain lines otherwise. */

/** Where an import stands. */
export interface ImportProgress {
  /** Findings sent in requests that completed. */
  sent: number;
  /** Findings that Security Hub reported as failed. */
  failed: number;
  /** Findings read from the files so far. */
  read: number;
  /** Whether every file has been read (then `read` is the total). */
  readDone: boolean;
  /** Share of the input bytes read (0..1), when the sizes are known. */
  readFraction: number | undefined;
}

/** Shows progress; `finish` clears what it drew. */
export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  finish(): void;
}

/** What the display writes to and how it tells time. */
export interface ProgressOptions {
  stream: Pick<NodeJS.WriteStream, 'write'> & { columns?: number | undefined };
  tty: boolean;
  now?: () => number;
  /** Minimum time between redraws on a terminal; default 100 ms. */
  redrawMs?: number;
  /** Time between plain lines; default 5 s. */
  lineMs?: number;
}

/** Creates the display for a stream (a bar when `tty`). */
export function createProgressDisplay(options: ProgressOptions): ProgressDisplay {
  const now = options.now ?? Date.now;
  const started = now();
  const interval = options.tty ? (options.redrawMs ?? 100) : (options.lineMs ?? 5_000);
  let last = started;
  let drawn = false;
  return {
    update(progress) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      const seconds = (t - started) / 1000;
      if (options.tty) {
        options.stream.write(
          `\r${formatProgressBar(progress, seconds, terminalColumns(options.stream.columns))}\x1b[K`,
        );
        drawn = true;
      } else {
        options.stream.write(`${formatProgressLine(progress, seconds)}\n`);
      }
    },
    finish() {
      if (drawn) options.stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** The total to show: exact once reading is done, else estimated from the bytes read (`~`), else unknown. */
export function progressTotal(progress: ImportProgress): { total: number; estimated: boolean } | undefined {
  if (progress.readDone) return { total: progress.read, estimated: false };
  if (progress.readFraction !== undefined && progress.readFraction > 0) {
    return {
      total: Math.max(progress.read, Math.round(progress.read / progress.readFraction)),
      estimated: true,
    };
  }
  return undefined;
}

/** One plain progress line: `import: 1,200/~2,650 findings sent (45%), 3 failed, 850/s`. */
export function formatProgressLine(progress: ImportProgress, seconds: number): string {
  const total = progressTotal(progress);
  const of = total === undefined ? '' : `/${total.estimated ? '~' : ''}${count(total.total)}`;
  const percent =
    total === undefined || total.total === 0 ? '' : ` (${Math.floor((100 * progress.sent) / total.total)}%)`;
  return `import: ${count(progress.sent)}${of} findings sent${percent}, ${count(progress.failed)} failed, ${rate(progress.sent, seconds)}`;
}

/** The terminal line: `[#######-------]  45% 1,200/~2,650 findings  850/s  3 failed`, fitted to `columns`. */
export function formatProgressBar(progress: ImportProgress, seconds: number, columns: number): string {
  const total = progressTotal(progress);
  const fraction =
    total === undefined || total.total === 0 ? undefined : Math.min(1, progress.sent / total.total);
  const of = total === undefined ? '' : `/${total.estimated ? '~' : ''}${count(total.total)}`;
  const failed = progress.failed > 0 ? `  ${count(progress.failed)} failed` : '';
  const text = `${count(progress.sent)}${of} findings  ${rate(progress.sent, seconds)}${failed}`;
  if (fraction === undefined) return text.slice(0, Math.max(0, columns - 1));
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const width = Math.min(40, columns - 1 - text.length - percent.length - 4);
  if (width < 5) return `${percent} ${text}`.slice(0, Math.max(0, columns - 1));
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent} ${text}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function rate(sent: number, seconds: number): string {
  return seconds <= 0 ? '-/s' : `${Math.round(sent / seconds).toLocaleString('en-US')}/s`;
}

// A pseudo-terminal may report 0 columns.
function terminalColumns(columns: number | undefined): number {
  return columns !== undefined && columns > 0 ? columns : 80;
}
