/**
 * SQLite settings of the Temporal dev server that `npm start`, the chaos run and the benchmark start. Measured with
 * `npm run bench` and proven durable across kill -9 with `npm run chaos` (bench/README.md).
 */
export const DEFAULT_SQLITE_PRAGMAS: readonly string[] = ['journal_mode=wal', 'synchronous=normal'];

export const sqlitePragmaFlags = (pragmas: readonly string[] = DEFAULT_SQLITE_PRAGMAS): string[] => pragmas.flatMap((p) => ['--sqlite-pragma', p]);
