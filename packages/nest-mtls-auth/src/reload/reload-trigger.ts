import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { digestFiles } from './files-digest.js';

/** Quiet time after the last file event before reloading: a secret update touches several files. */
export const DEFAULT_DEBOUNCE_MS = 250;

/** What a {@link ReloadTrigger} watches and what it calls. */
export interface ReloadTriggerOptions {
  /** The files a reload reads; relative paths resolve against the working directory. */
  readonly files: readonly string[];
  /**
   * Reads and applies everything once, saying why (`'file change'`, the signal's name, or the
   * caller's reason); `false` when it refused the material (the previous stays in force).
   */
  readonly reload: (reason: string) => boolean;
  /** @default DEFAULT_DEBOUNCE_MS */
  readonly debounceMs?: number;
  /** The signal that forces a reload; `false`: none. */
  readonly signal: NodeJS.Signals | false;
  /** A directory watch failed (the directory was removed, too many watches). */
  readonly onWatchError: (dir: string, error: Error) => void;
}

/**
 * When to reload, in plain Node: on a change in the directory of any of the files (debounced), on
 * the signal, or when asked ({@link run}). A file change reloads only when the files' content
 * differs from the last successful reload's ({@link digestFiles}); the signal and {@link run}
 * reload unconditionally unless asked not to.
 *
 * Directories are watched, not files: Kubernetes and cert-manager replace a Secret's files by
 * swapping a `..data` symlink with an atomic rename, and `mv` over a file replaces its inode;
 * a watch on the file itself would miss both. Nothing here keeps the process alive.
 */
export class ReloadTrigger {
  private readonly files: readonly string[];
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastDigest: string | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.run(signal, false);
  };

  constructor(private readonly options: ReloadTriggerOptions) {
    this.files = options.files.map((file) => resolve(file));
  }

  /** Takes the files' current content as the one in force and starts watching. */
  start(): void {
    this.lastDigest = digestFiles(this.files);
    for (const dir of new Set(this.files.map((file) => dirname(file)))) {
      if (!existsSync(dir)) continue;
      const watcher = watch(dir, () => this.schedule());
      watcher.on('error', (error) => this.options.onWatchError(dir, error));
      watcher.unref();
      this.watchers.push(watcher);
    }
    if (this.options.signal) process.on(this.options.signal, this.onSignal);
  }

  /**
   * Reloads now; with `onlyIfChanged`, only when the files differ from the last successful
   * reload's. Returns what the reload returned (`true` when skipped).
   */
  run(reason: string, onlyIfChanged: boolean): boolean {
    // Taken before the reload reads: a change in between makes a new event and a new digest.
    const digest = digestFiles(this.files);
    if (onlyIfChanged && digest === this.lastDigest) return true;
    const applied = this.options.reload(reason);
    if (applied) this.lastDigest = digest;
    return applied;
  }

  /** Stops watching and listening; a pending reload is dropped. */
  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    if (this.options.signal) process.off(this.options.signal, this.onSignal);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.run('file change', true),
      this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    );
    this.timer.unref();
  }
}
