/**
 * Node flags of the worker process, wherever it is started (npm start, npm run worker, compose, the crash test, the
 * benchmark). A 768 MiB V8 heap: with Node's default (4 GiB here) the heap went uncollected and the worker held
 * 860–1 001 MiB RSS with 10 000 payments pending; 1 GiB gave 588–624 MiB, this 596 MiB, at the same throughput
 * (bench/README.md). Raise it with WORKER_MAX_CACHED_WORKFLOWS.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=768'];
