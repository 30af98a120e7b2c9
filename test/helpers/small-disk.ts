import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../ops/lib/process.ts';

/**
 * A small filesystem of the test's own (a tmpfs mounted with `size=`, which needs root), to put a
 * store's files on and fill: a full disk without filling the machine's.
 */
export class SmallDisk {
  private readonly filler: string;
  private constructor(readonly dir: string) {
    this.filler = path.join(dir, 'filler');
  }

  /**
   * Mounts it, on `at` (made if missing) or a new temporary directory; undefined where this
   * machine does not allow mounting (not root, no tmpfs).
   */
  static async mount(sizeMb: number, at?: string): Promise<SmallDisk | undefined> {
    const dir = at ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pss-disk-'));
    fs.mkdirSync(dir, { recursive: true });
    const mounted = await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
    if (mounted.code === 0) return new SmallDisk(dir);
    fs.rmdirSync(dir);
    return undefined;
  }

  /** Takes every free byte, so that the next write of anything on the disk fails (ENOSPC). */
  fill(): void {
    const chunk = Buffer.alloc(64 * 1024);
    const fd = fs.openSync(this.filler, 'a');
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      // The last, partial chunk: what is left is smaller than 64 kB; take it byte by byte.
      try {
        for (;;) fs.writeSync(fd, chunk, 0, 512);
      } catch {
        // full
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Gives the space back. */
  free(): void {
    fs.rmSync(this.filler, { force: true });
  }

  async unmount(): Promise<void> {
    await run('umount', ['-l', this.dir]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
