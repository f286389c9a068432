/**
 * Decompression-bomb guard for PDFs: before pdf.js sees the file, every stream (`stream` … 
 * `endstream`, ISO 32000-1 §7.3.8) that is zlib/deflate data (FlateDecode, §7.4.4) is inflated
 * with Node's zlib under `maxOutputLength`, so inflation itself stops at the budget: a 1 MB file
 * that would inflate to 1 GB costs at most `maxBytes` of work and memory, never the gigabyte.
 * The inflated bytes of all streams are summed against one budget. Streams that are not zlib data
 * (other filters, raw) are skipped; damaged zlib data counts what could be inflated. O(file size +
 * maxBytes).
 */
import zlib from 'node:zlib';
import { InputError } from './types.js';

/**
 * Total inflated size of the PDF's FlateDecode streams, refusing once it passes `maxBytes`.
 * @throws InputError 'too-large' naming MAX_PDF_INFLATED_BYTES.
 */
export function checkPdfInflation(bytes: Uint8Array, maxBytes: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let from = 0;
  for (;;) {
    const at = buf.indexOf('stream', from, 'latin1');
    if (at === -1) break;
    from = at + 6;
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') continue; // "endstream"
    let start = at + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    else if (start === at + 6) continue; // "stream" must end its line
    // zlib header (RFC 1950): CMF 0x78 for deflate with a 32K window is by far the common case;
    // any CMF with method 8 and a valid check value is accepted.
    const cmf = buf[start];
    const flg = buf[start + 1];
    if ((cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0) continue;
    const stop = buf.indexOf('endstream', start, 'latin1');
    const data = buf.subarray(start, stop === -1 ? buf.length : stop);
    const remaining = maxBytes - total;
    try {
      total += zlib.inflateSync(data, { maxOutputLength: Math.max(1, remaining), finishFlush: zlib.constants.Z_SYNC_FLUSH }).length;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw bomb(maxBytes);
      // damaged data: pdf.js decides what to do with it
    }
    if (total > maxBytes) throw bomb(maxBytes);
    from = stop === -1 ? buf.length : stop + 9;
  }
  return total;
}

function bomb(maxBytes: number): InputError {
  return new InputError(
    `The PDF's compressed streams inflate to more than ${(maxBytes / (1024 * 1024)).toFixed(0)} MiB (MAX_PDF_INFLATED_BYTES); it was not read.`,
    'too-large',
  );
}
