// The one place trace readers touch the file system; the readers themselves are pure functions
// over text, so tests and the browser-free library can feed them strings.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** gzip's magic number; checked instead of the `.gz` suffix so a renamed file still reads. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A trace file's text (UTF-8), gunzipped first when it is gzip-compressed (`.swf.gz`). */
export function readTraceFile(path: string): string {
  const bytes = readFileSync(path);
  return (isGzip(bytes) ? gunzipSync(bytes) : bytes).toString('utf8');
}
