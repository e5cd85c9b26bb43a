import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a supervised process is started; restarted the same way after a crash or a kill. */
export interface ProcessSpec {
  readonly name: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** The user to run as (PostgreSQL refuses root). */
  readonly uid?: number;
  readonly gid?: number;
  /** How it is asked to stop (PostgreSQL: SIGINT, its fast shutdown); SIGTERM by default. */
  readonly stopSignal?: NodeJS.Signals;
}

/**
 * Keeps a set of processes running as a service manager would: each in its own process group, its output in a log
 * file, restarted a moment after it dies (however it dies). The chaos run kills them with SIGKILL and counts on this.
 */
export class Supervisor {
  readonly #running = new Map<string, ChildProcess>();
  readonly #logs = new Map<string, WriteStream>();
  readonly #specs = new Map<string, ProcessSpec>();
  readonly restarts = new Map<string, number>();
  #stopping = false;

  constructor(private readonly cwd: string, private readonly logDir: string, private readonly restartDelayMs = 1_000) {}

  start(spec: ProcessSpec): void {
    this.#specs.set(spec.name, spec);
    let log = this.#logs.get(spec.name);
    if (!log) {
      log = createWriteStream(join(this.logDir, `${spec.name}.log`), { flags: 'a' });
      this.#logs.set(spec.name, log);
    }
    const user = spec.uid === undefined ? {} : { uid: spec.uid, ...(spec.gid === undefined ? {} : { gid: spec.gid }) };
    const proc = spawn(spec.file, spec.args, { cwd: this.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    proc.stdout.pipe(log, { end: false });
    proc.stderr.pipe(log, { end: false });
    this.#running.set(spec.name, proc);
    proc.once('exit', () => {
      if (this.#stopping || this.#running.get(spec.name) !== proc) return;
      this.restarts.set(spec.name, (this.restarts.get(spec.name) ?? 0) + 1);
      setTimeout(() => {
        if (!this.#stopping) this.start(spec);
      }, this.restartDelayMs).unref();
    });
  }

  /** Whether `name`'s current process is running (false between a death and its restart). */
  alive(name: string): boolean {
    const proc = this.#running.get(name);
    return proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  }

  /** SIGKILL to the whole group: no chance to finish anything, as in a power cut of that one process. */
  kill(name: string): void {
    const pid = this.#running.get(name)?.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Everything down: apps first (SIGTERM, then SIGKILL), then `last` one by one (the Temporal server, its database). */
  async stopAll(last: readonly string[]): Promise<void> {
    this.#stopping = true;
    const stop = async (name: string, proc: ChildProcess) => {
      if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      try {
        process.kill(-proc.pid, this.#specs.get(name)?.stopSignal ?? 'SIGTERM');
      } catch {
        return;
      }
      if ((await Promise.race([exited.then(() => true), sleep(8_000).then(() => false)])) === false) this.kill(name);
    };
    await Promise.all([...this.#running].filter(([n]) => !last.includes(n)).map(([n, p]) => stop(n, p)));
    for (const name of last) {
      const proc = this.#running.get(name);
      if (proc) await stop(name, proc);
    }
    for (const log of this.#logs.values()) log.end();
  }
}
