import { readFile, readdir } from 'node:fs/promises';

/** Linux's clock ticks per second for /proc's CPU times (USER_HZ: 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

export interface GroupSample {
  /** User + system CPU seconds of every process in the group, since each started. */
  readonly cpuSeconds: number;
  /** Resident memory of the group's processes, in bytes. */
  readonly rssBytes: number;
}

/**
 * CPU and memory of one process group (each benchmarked process runs in its own: the Temporal server, the worker,
 * the API, the sandbox), read from /proc. A process that has gone counts as zero.
 */
export async function sampleGroup(pgid: number): Promise<GroupSample> {
  let cpuSeconds = 0;
  let rssBytes = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid pgrp …": comm may contain spaces, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    cpuSeconds += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
    rssBytes += Number(fields[21]) * 4096; // rss, in pages
  }
  return { cpuSeconds, rssBytes };
}

export const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
