// Where downloaded evidence (photos, videos) is kept. Twilio's media URLs expire and must not be
// handed to officers, so every file is copied here first.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface StoredMedia {
  data: Buffer;
  contentType?: string;
}

export interface MediaStorage {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredMedia | null>;
  exists(key: string): Promise<boolean>;
}

export class InvalidMediaKeyError extends Error {
  override readonly name = 'InvalidMediaKeyError';
}

/**
 * Keys are relative, '/'-separated, and every segment starts with a letter, digit, '_' or '-'.
 * That rules out '..', absolute and Windows paths, and leaves every dot-file name free for this
 * module's own sidecars and temp files, so they can never collide with a key.
 */
const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export function assertValidMediaKey(key: string): void {
  if (!key || key.length > 512 || !key.split('/').every((segment) => KEY_SEGMENT.test(segment))) {
    throw new InvalidMediaKeyError(`invalid media key: ${JSON.stringify(key.slice(0, 80))}`);
  }
}

/** Files under rootDir; the content type sits beside each file in '.<name>.content-type'. */
export function createLocalMediaStorage(rootDir: string): MediaStorage {
  const root = path.resolve(rootDir);

  function locate(key: string): { file: string; typeFile: string } {
    assertValidMediaKey(key);
    const file = path.resolve(root, ...key.split('/'));
    // Defence in depth: the key rules above already keep every path inside root.
    if (!file.startsWith(root + path.sep)) throw new InvalidMediaKeyError('media key escapes the storage root');
    return { file, typeFile: path.join(path.dirname(file), `.${path.basename(file)}.content-type`) };
  }

  return {
    async put(key, data, contentType) {
      const { file, typeFile } = locate(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Type first: once the data file exists, readers can rely on its type being there too.
      await writeAtomically(typeFile, contentType);
      await writeAtomically(file, data);
    },

    async get(key) {
      const { file, typeFile } = locate(key);
      const data = await readFile(file).catch(nullIfMissing);
      if (!data) return null;
      const contentType = await readFile(typeFile, 'utf8').catch(nullIfMissing);
      return contentType ? { data, contentType } : { data };
    },

    async exists(key) {
      const { file } = locate(key);
      return (await stat(file).catch(nullIfMissing))?.isFile() ?? false;
    },
  };
}

/** Temp file + rename, so a crash mid-write never leaves a truncated photo under the real name. */
async function writeAtomically(file: string, data: Buffer | string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}

function nullIfMissing(err: unknown): null {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw err;
}
