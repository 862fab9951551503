import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * One SHA-256 over the paths and contents of `files`, in order: the same value as long as nothing
 * a reload reads has changed, so a file event that changed nothing (a touch, another file of the
 * directory, the second half of a Kubernetes symlink swap) costs no reload. A file that cannot be
 * read (missing in the middle of a swap) counts as a state of its own, so the reload that follows
 * reports it.
 */
export function digestFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('\0unreadable');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}
