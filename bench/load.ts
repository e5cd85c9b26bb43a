import type { Percentiles } from './result.js';

/** Nearest-rank percentiles, rounded to 0.1 ms. */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => {
    if (sorted.length === 0) return 0;
    const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
    return Math.round(value * 10) / 10;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/**
 * A closed loop: `concurrency` clients, each starting its next item as soon as its last one is done, until `total`
 * items have run. Items that throw are counted and reported, never retried (a failure is a finding).
 */
export async function closedLoop<T>(concurrency: number, total: number, item: (index: number) => Promise<T>): Promise<{ results: T[]; errors: string[]; seconds: number }> {
  const results: T[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      for (let i = next++; i < total; i = next++) {
        try {
          results.push(await item(i));
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      }
    }),
  );
  return { results, errors, seconds: (performance.now() - started) / 1000 };
}
