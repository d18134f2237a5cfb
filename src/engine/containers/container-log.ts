import { utf8Length } from '../format/utf8.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { LogChunk } from './container-record.js';

/** Below this a chunk is appended to the one before it (same stream), so a flood of tiny
 * writes costs bytes, not an object per write. */
const MERGE_BELOW = 4096;

/**
 * A container's output as `docker logs` shows it: the last `maxBytes` (UTF-8) of what
 * its process wrote, oldest dropped first — json-file with `max-size` rotating away old
 * output. Each stream is decoded with its own streaming decoder, so a character split
 * across two reads (or around a write to the other stream) is never broken.
 */
export class ContainerLog {
  private readonly chunks: (LogChunk & { bytes: number })[] = [];
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private bytes = 0;

  // Docker's json-file driver is unbounded by default; a shared sandbox keeps `max-size`'s
  // bound on by default, as a daemon.json with `"log-opts": {"max-size": "1m"}` would.
  constructor(readonly maxBytes: number = DEFAULT_LIMITS.logBytes) {}

  /** Records raw output of `stream`; the decoded text (possibly '' while a character is
   * incomplete), for the attached clients. */
  write(stream: 'stdout' | 'stderr', data: Uint8Array): string {
    const text = this.decoders[stream].decode(data, { stream: true });
    if (text !== '') this.append(stream, text);
    return text;
  }

  /** The kept output, oldest first. */
  read(): readonly LogChunk[] {
    return this.chunks.map(({ stream, text }) => ({ stream, text }));
  }

  /** Bytes kept (UTF-8). */
  get size(): number {
    return this.bytes;
  }

  private append(stream: 'stdout' | 'stderr', text: string): void {
    const bytes = utf8Length(text);
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.stream === stream && last.bytes < MERGE_BELOW) {
      last.text += text;
      last.bytes += bytes;
    } else this.chunks.push({ stream, text, bytes });
    this.bytes += bytes;
    this.trim();
  }

  private trim(): void {
    while (this.bytes > this.maxBytes) {
      const first = this.chunks[0]!;
      const excess = this.bytes - this.maxBytes;
      if (first.bytes <= excess) {
        this.chunks.shift();
        this.bytes -= first.bytes;
        continue;
      }
      let cut = charsForBytes(first.text, excess);
      // json-file keeps whole messages: the first kept line starts at a line's start.
      if (first.text[cut - 1] !== '\n') {
        const eol = first.text.indexOf('\n', cut);
        if (eol >= 0) cut = eol + 1;
      }
      const dropped = utf8Length(first.text.slice(0, cut));
      first.text = first.text.slice(cut);
      first.bytes -= dropped;
      this.bytes -= dropped;
    }
  }
}

/** How many UTF-16 units from the start of `text` hold at least `bytes` UTF-8 bytes, never
 * ending inside a surrogate pair. */
function charsForBytes(text: string, bytes: number): number {
  let n = 0;
  let i = 0;
  while (i < text.length && n < bytes) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    i += pair ? 2 : 1;
  }
  return i;
}
