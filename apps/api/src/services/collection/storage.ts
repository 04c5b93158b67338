// Where bill documents live. A tiny interface so an S3-compatible store can replace the
// directory by configuration; keys are relative paths (`<company>/<connection>/<file>`).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";

export type TBillStorage = {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
};

/** Files under `root`; writes go through a temporary name so a reader never sees half a file. */
export function directoryStorage(root: string): TBillStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const full = resolve(join(base, key));
    // Keys are built by us, but never let one escape the directory.
    if (!full.startsWith(base + sep)) throw new Error("storage key outside the storage root");
    return full;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}
