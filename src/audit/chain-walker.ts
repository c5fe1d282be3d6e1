/** Walks audit records in sequence order and names every break in the hash chain. */
import { genesisHash, recordHash, type AuditRow } from './chain.js';

const idOf = (row: AuditRow): string => `seq ${Number(row.seq)} (eventID ${row.event_id ?? 'none'})`;

/** Checks records fed in ascending sequence order; collects problems as precise, human-readable sentences. */
export class ChainWalker {
  readonly problems: string[] = [];
  /** Records with a hash that were checked. */
  chained = 0;
  /** Records before the first chained one (written before the audit chain existed). */
  legacy = 0;
  private last: { seq: number; hash: string } | undefined;

  constructor(
    /** Finds the record carrying a hash, to tell a reordering from a deletion. */
    private readonly findSeqByHash: (hash: string) => Promise<number | undefined>,
    /** Where the walk starts: the record just before the first one fed (a sealed position), if any. */
    start?: { seq: number; hash: string },
  ) {
    this.last = start;
  }

  /** The last record walked. */
  get position(): { seq: number; hash: string } | undefined {
    return this.last;
  }

  async feed(row: AuditRow): Promise<void> {
    const seq = Number(row.seq);
    if (row.hash === null) {
      if (this.last === undefined) {
        this.legacy += 1;
        return;
      }
      this.problems.push(`record ${idOf(row)} has no hash: the record was modified`);
      return;
    }
    this.chained += 1;
    const expectedPrev = this.last?.hash ?? genesisHash;
    const gap = this.last !== undefined && seq !== this.last.seq + 1;
    if (gap && this.last !== undefined) {
      const from = this.last.seq + 1;
      const range = from === seq - 1 ? `seq ${from} is` : `seqs ${from}..${seq - 1} are`;
      this.problems.push(
        `record ${range} missing (deleted): record ${idOf(row)} follows seq ${this.last.seq}`,
      );
    }
    if (recordHash(row) !== row.hash) {
      this.problems.push(`record ${idOf(row)} was modified: its content does not match its hash`);
    } else if (row.prev_hash !== expectedPrev && !gap) {
      const chainedAfter = row.prev_hash === null ? undefined : await this.findSeqByHash(row.prev_hash);
      if (this.last === undefined) {
        this.problems.push(
          `record ${idOf(row)} is not the start of the chain: the records before it were deleted`,
        );
      } else if (chainedAfter !== undefined && chainedAfter !== this.last.seq) {
        this.problems.push(
          `record ${idOf(row)} is out of order (reordered): it was chained after seq ${chainedAfter}, not seq ${this.last.seq}`,
        );
      } else {
        this.problems.push(
          `record ${idOf(row)} does not link to seq ${this.last.seq}: the record before it was deleted, replaced or rehashed`,
        );
      }
    }
    this.last = { seq, hash: row.hash };
  }
}
