import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Write a file so that a crash never leaves a half-written file under the final name: write a
 * temporary sibling, fsync it, then rename over the target (atomic on POSIX filesystems).
 */
export function writeFileAtomic(file: string, data: string | Iterable<string>): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else {
      let buf = '';
      for (const chunk of data) {
        buf += chunk;
        if (buf.length >= 1 << 20) { writeSync(fd, buf); buf = ''; }
      }
      if (buf) writeSync(fd, buf);
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}
