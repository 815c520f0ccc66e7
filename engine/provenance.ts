// What every output records about where it came from: the darkscan version and a content digest
// (SHA-256 of the bytes) of each input file, so that two outputs computed from different data
// that happen to share a file name and an event count are told apart (`merge` compares them).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ioError } from './io/text.js';

export { DARKSCAN_VERSION } from './version.js';

/** 'sha256:<hex>' of a file's bytes, read in a stream (memory bounded for any file size). */
export async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  try {
    for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(piece as Buffer);
  } catch (e) {
    throw ioError(path, e);
  }
  return `sha256:${h.digest('hex')}`;
}

/** 'sha256:<hex>' of text (a named grid's canonical JSON, a config). */
export function textDigest(text: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
