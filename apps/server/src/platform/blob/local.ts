import { constants as fsConstants, type Dirent } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { randomBase62 } from '../ids.js';
import { assertValidBlobKey, assertValidBlobPrefix, InvalidBlobKeyError, isValidBlobKey } from './keys.js';
import { assertValidRange, unsatisfiableRange } from './range.js';
import { BlobNotFoundError, type BlobStat, type BlobStore, type ByteRange } from './types.js';

/** Directory under the root that holds in-flight writes; never listed, never addressable by a key. */
export const LOCAL_TMP_DIR = '.tmp';

/** Temp files older than this are leftovers of a crashed process and are swept on first write. */
const STALE_TMP_MS = 24 * 60 * 60 * 1000;

/**
 * Blobs as files under `root`, one file per key (`u/x/y.mp4` → `<root>/u/x/y.mp4`).
 *
 * Writes go to `<root>/.tmp/<random>.part` (same filesystem), are fsynced, then renamed into
 * place, so a reader sees either nothing or the complete file. A failed or aborted write removes
 * its temp file.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  readonly root: string;
  private readonly rootPrefix: string;
  private readonly tmpDir: string;
  private sweep: Promise<void> | undefined;

  constructor(root: string) {
    if (!root) throw new TypeError('LocalBlobStore: root directory is required');
    this.root = path.resolve(root);
    this.rootPrefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    this.tmpDir = path.join(this.root, LOCAL_TMP_DIR);
  }

  async put(key: string, body: Readable | Buffer, _opts?: { contentType?: string }): Promise<BlobStat> {
    const dest = this.pathFor(key);
    return this.writeAtomic(dest, async (tmp) => {
      const fh = await fsp.open(tmp, 'wx');
      try {
        let size = 0;
        if (body instanceof Uint8Array) {
          await writeAll(fh, body);
          size = body.byteLength;
        } else {
          // for-await propagates source errors and premature close (destroy without error),
          // and destroys the source if we stop early because a write failed.
          for await (const chunk of body as AsyncIterable<Buffer | string>) {
            const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            await writeAll(fh, buf);
            size += buf.byteLength;
          }
        }
        await fh.sync();
        return size;
      } finally {
        await fh.close();
      }
    });
  }

  async putFile(key: string, filePath: string, _opts?: { contentType?: string }): Promise<BlobStat> {
    const dest = this.pathFor(key);
    return this.writeAtomic(dest, async (tmp) => {
      await fsp.copyFile(filePath, tmp, fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE);
      const fh = await fsp.open(tmp, 'r+');
      try {
        await fh.sync();
        return (await fh.stat()).size;
      } finally {
        await fh.close();
      }
    });
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathFor(key);
    if (range) assertValidRange(range);
    let fh: FileHandle;
    try {
      fh = await fsp.open(file, 'r');
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(key);
      throw err;
    }
    try {
      // The open handle keeps reading the same bytes even if the key is replaced or deleted.
      const st = await fh.stat();
      if (!st.isFile()) throw new BlobNotFoundError(key);
      if (range && range.start >= st.size) throw unsatisfiableRange(key, range, st.size);
    } catch (err) {
      await fh.close().catch(() => {});
      throw err;
    }
    return fh.createReadStream(range ? { start: range.start, end: range.end, autoClose: true } : { autoClose: true });
  }

  async stat(key: string): Promise<BlobStat | null> {
    const file = this.pathFor(key);
    try {
      const st = await fsp.stat(file);
      return st.isFile() ? { size: st.size } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathFor(key);
    try {
      await fsp.unlink(file);
    } catch (err) {
      // EISDIR: the key names a directory of other keys, i.e. there is no object at this key.
      if (!isMissing(err) && code(err) !== 'EISDIR') throw err;
    }
    await this.pruneEmptyParents(path.dirname(file));
  }

  async *list(prefix = ''): AsyncIterable<string> {
    assertValidBlobPrefix(prefix);
    // Prefixes are string prefixes (`u/ab` also matches `u/abc/…`): start at the deepest
    // directory the prefix fully names and filter below it.
    const slash = prefix.lastIndexOf('/');
    yield* this.walk(slash >= 0 ? prefix.slice(0, slash) : '', prefix);
  }

  async localPath(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const file = this.pathFor(key);
    if ((await this.stat(key)) === null) throw new BlobNotFoundError(key);
    return { path: file, release: async () => {} };
  }

  /** Absolute path of a key; throws InvalidBlobKeyError for anything that could escape root. */
  private pathFor(key: string): string {
    assertValidBlobKey(key);
    const file = path.resolve(this.root, ...key.split('/'));
    // Defence in depth: the key rules already make this impossible.
    if (!file.startsWith(this.rootPrefix)) throw new InvalidBlobKeyError(key, 'escapes the store root');
    return file;
  }

  /**
   * Runs fill(tmpPath) to create and fsync a temp file, then renames it to dest. On any failure
   * the temp file is removed and the error rethrown; dest is untouched.
   */
  private async writeAtomic(dest: string, fill: (tmp: string) => Promise<number>): Promise<BlobStat> {
    await this.prepareTmpDir();
    const tmp = path.join(this.tmpDir, `${randomBase62(22)}.part`);
    let done = false;
    try {
      const size = await fill(tmp);
      await this.renameIntoPlace(tmp, dest);
      done = true;
      return { size };
    } finally {
      if (!done) await fsp.rm(tmp, { force: true }).catch(() => {});
    }
  }

  private async renameIntoPlace(tmp: string, dest: string): Promise<void> {
    const dir = path.dirname(dest);
    // A concurrent delete() may prune the (momentarily empty) parent between mkdir and rename.
    for (let attempt = 0; ; attempt++) {
      await fsp.mkdir(dir, { recursive: true });
      try {
        await fsp.rename(tmp, dest);
        break;
      } catch (err) {
        if (code(err) === 'ENOENT' && attempt < 5) continue;
        throw err;
      }
    }
    await fsyncDir(dir);
  }

  private async prepareTmpDir(): Promise<void> {
    await fsp.mkdir(this.tmpDir, { recursive: true });
    this.sweep ??= this.sweepStaleTmp();
    await this.sweep;
  }

  private async sweepStaleTmp(): Promise<void> {
    try {
      const cutoff = Date.now() - STALE_TMP_MS;
      for (const name of await fsp.readdir(this.tmpDir)) {
        const p = path.join(this.tmpDir, name);
        const st = await fsp.stat(p).catch(() => null);
        if (st?.isFile() && st.mtimeMs < cutoff) await fsp.rm(p, { force: true }).catch(() => {});
      }
    } catch {
      // best effort
    }
  }

  private async pruneEmptyParents(dir: string): Promise<void> {
    while (dir.startsWith(this.rootPrefix)) {
      try {
        await fsp.rmdir(dir);
      } catch {
        return; // not empty (ENOTEMPTY/EEXIST), already gone, or not ours to remove
      }
      dir = path.dirname(dir);
    }
  }

  private async *walk(rel: string, prefix: string): AsyncGenerator<string> {
    const abs = rel ? path.join(this.root, ...rel.split('/')) : this.root;
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(abs, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    // Sorting directories as `name/` makes the depth-first walk yield keys in byte order, like S3.
    const items = entries
      .filter((d) => d.isFile() || d.isDirectory())
      .map((d) => ({ name: d.name, dir: d.isDirectory(), sortKey: d.isDirectory() ? `${d.name}/` : d.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const item of items) {
      const key = rel ? `${rel}/${item.name}` : item.name;
      // Skips `.tmp` and anything else that no key could name.
      if (!isValidBlobKey(key)) continue;
      if (item.dir) {
        const asDir = `${key}/`;
        if (asDir.startsWith(prefix) || prefix.startsWith(asDir)) yield* this.walk(key, prefix);
      } else if (key.startsWith(prefix)) {
        yield key;
      }
    }
  }
}

async function writeAll(fh: FileHandle, buf: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < buf.byteLength) {
    const { bytesWritten } = await fh.write(buf, offset, buf.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes a rename durable; not every platform/filesystem allows fsync on a directory. */
async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort
  } finally {
    await fh?.close().catch(() => {});
  }
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function isMissing(err: unknown): boolean {
  const c = code(err);
  return c === 'ENOENT' || c === 'ENOTDIR';
}
