import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';

export interface StateStoreOptions<T> {
  /** `${DATA_DIR}/sandbox-state.json`. */
  readonly file: string;
  readonly schema: z.ZodType<T>;
  /** `false`: memory only (tests); nothing is read or written. */
  readonly persist: boolean;
  readonly logger: Logger;
  readonly debounceMs?: number;
}

/**
 * Keeps the whole sandbox state in one JSON file so a restart resumes where it was. Writes are debounced
 * (~100 ms) and atomic (temp file, fsync, rename), one at a time; `close()` writes what is still pending.
 */
export class StateStore<T> {
  readonly #o: StateStoreOptions<T>;
  #snapshot: (() => T) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #closed = false;
  #writing: Promise<void> = Promise.resolve();
  #writes = 0;

  constructor(options: StateStoreOptions<T>) {
    this.#o = options;
  }

  /** The saved state, or `undefined` for a fresh start. An unreadable file is moved aside, never overwritten silently. */
  load(): T | undefined {
    if (!this.#o.persist) return undefined;
    let text: string;
    try {
      text = readFileSync(this.#o.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let problem: string;
    try {
      const parsed = this.#o.schema.safeParse(JSON.parse(text));
      if (parsed.success) {
        this.#o.logger.info({ file: this.#o.file }, 'sandbox state loaded');
        return parsed.data;
      }
      problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).slice(0, 3).join('; ');
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const aside = `${this.#o.file}.unreadable-${Date.now()}`;
    mkdirSync(dirname(aside), { recursive: true });
    renameSync(this.#o.file, aside);
    this.#o.logger.warn({ file: this.#o.file, movedTo: aside, problem }, 'sandbox state unreadable; starting empty');
    return undefined;
  }

  /** How to get the current state when it is time to write. */
  setSnapshot(snapshot: () => T): void {
    this.#snapshot = snapshot;
  }

  /** Something changed: write it soon. */
  changed(): void {
    if (!this.#o.persist || this.#closed) return;
    this.#dirty = true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#writeNow();
    }, this.#o.debounceMs ?? 100);
  }

  /** Writes pending changes now and waits for every write to finish. */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#writeNow();
    await this.#writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
  }

  #writeNow(): void {
    if (!this.#dirty || this.#snapshot === undefined) return;
    this.#dirty = false;
    const json = `${JSON.stringify(this.#snapshot(), null, 2)}\n`;
    this.#writing = this.#writing.then(() =>
      this.#atomicWrite(json).catch((error: unknown) => {
        this.#dirty = true; // try again with the next change or on close
        this.#o.logger.error({ err: error, file: this.#o.file }, 'could not save sandbox state');
      }),
    );
  }

  async #atomicWrite(json: string): Promise<void> {
    const file = this.#o.file;
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${++this.#writes}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(json, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  }
}
