/** Captures a process stream keeping only its first `limit` characters (SSM shows the head of the output). */
import { StringDecoder } from 'node:string_decoder';

/** A stream's text up to a character limit; everything after is counted and dropped. */
export class BoundedOutput {
  private readonly decoder = new StringDecoder('utf8');
  private kept = '';
  private droppedBytes = 0;

  constructor(private readonly limit: number) {}

  /** Adds a chunk; once the limit is reached the rest is only counted. */
  append(chunk: Buffer): void {
    if (this.kept.length >= this.limit) {
      this.droppedBytes += chunk.length;
      return;
    }
    this.kept += this.decoder.write(chunk);
    if (this.kept.length > this.limit) {
      this.kept = this.kept.slice(0, this.limit);
      this.droppedBytes += 1; // at least part of this chunk was cut
    }
  }

  /** Whether output was cut at the limit. */
  get truncated(): boolean {
    return this.droppedBytes > 0;
  }

  /** The captured head (at most `limit` characters). */
  text(): string {
    if (this.kept.length >= this.limit) return this.kept;
    return (this.kept + this.decoder.end()).slice(0, this.limit);
  }
}
