/**
 * Anchors of the audit trail outside the database: every digest is appended to an append-only file in the data
 * directory (and to any further configured file), and the newest committed record's position is kept beside
 * it. Someone who can write only the database cannot change either, so a rollback, a truncated tail or a
 * rehashed chain shows up as a difference between the database and its anchors.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A digest as anchored: enough to recognise it (its signature) and what it seals. */
export interface AnchoredDigest {
  digestSequence: number;
  endSequence: number;
  lastRecordHash: string;
  signature: string;
  digestTime: string;
}

/** A committed record's position on the chain. */
export interface AnchoredHead {
  sequence: number;
  hash: string;
}

/** What one anchor file holds. */
export interface AnchorContents {
  /** The file the digests were read from (named in verification problems). */
  source: string;
  digests: AnchoredDigest[];
  /** The newest record position seen by the nodes writing this anchor, if any. */
  head: AnchoredHead | undefined;
}

/** The data directory's digest anchor: `audit-anchor.jsonl`. */
export function auditAnchorFile(dataDir: string): string {
  return join(dataDir, 'audit-anchor.jsonl');
}

/** The head file that sits beside a digest anchor file. */
function headFileOf(anchorFile: string): string {
  return anchorFile.replace(/\.jsonl$/, '') + '.head.json';
}

/** The anchor files of a data directory: its own, then each of `BULWARK_AUDIT_ANCHOR_FILES` (comma-separated). */
export function auditAnchorFiles(dataDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env['BULWARK_AUDIT_ANCHOR_FILES'] ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file !== '');
  return [auditAnchorFile(dataDir), ...extra];
}

/** Writes the trail's anchors; one per process (it remembers the highest position it wrote). */
export class AuditAnchor {
  private highest = 0;
  private writes = 0;

  constructor(readonly files: readonly string[]) {}

  /** Appends a digest to every anchor file (a failure to write any of them throws: the seal must be retried). */
  recordDigest(digest: AnchoredDigest): void {
    const line = JSON.stringify(digest) + '\n';
    for (const file of this.files) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, line, { mode: 0o600 });
    }
  }

  /** Records the position of a committed record (called after commit; never moves backwards in this process). */
  recordHead(head: AnchoredHead): void {
    if (head.sequence <= this.highest) return;
    this.highest = head.sequence;
    for (const file of this.files) {
      const target = headFileOf(file);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      // Written aside and renamed, so a reader never sees half a file.
      this.writes += 1;
      const temporary = `${target}.${process.pid}.${this.writes}.tmp`;
      writeFileSync(temporary, JSON.stringify(head), { mode: 0o600 });
      renameSync(temporary, target);
    }
  }
}

/** Reads an anchor file and its head; undefined when neither exists. */
export function readAuditAnchor(file: string): AnchorContents | undefined {
  const headFile = headFileOf(file);
  if (!existsSync(file) && !existsSync(headFile)) return undefined;
  const digests: AnchoredDigest[] = [];
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        digests.push(JSON.parse(line) as AnchoredDigest);
      } catch {
        // A torn last line (a crash mid-append) is ignored; the digest is still in the database.
      }
    }
  }
  let head: AnchoredHead | undefined;
  if (existsSync(headFile)) head = JSON.parse(readFileSync(headFile, 'utf8')) as AnchoredHead;
  return { source: file, digests, head };
}
