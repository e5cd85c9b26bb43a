import { z } from 'zod';

/** What `npm run bench` writes to bench/results/*.json: defined once, checked before writing and by `npm test`. */
const Percentiles = z.object({ p50: z.number().nonnegative(), p95: z.number().nonnegative(), p99: z.number().nonnegative(), max: z.number().nonnegative() });
const InquiryCpu = z.object({ total: z.number().nonnegative(), temporal: z.number().nonnegative(), api: z.number().nonnegative(), worker: z.number().nonnegative(), benchClient: z.number().nonnegative() });
const InquiryPass = z.object({ perSecond: z.number().nonnegative(), cpuMs: InquiryCpu });
const Level = z.object({
  concurrency: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  firstError: z.string().optional(),
  seconds: z.number().positive(),
  perSecond: z.number().nonnegative(),
});
const Rss = z.object({ temporal: z.number().positive(), worker: z.number().positive(), api: z.number().positive(), sandbox: z.number().positive() });
const HistoryProfile = z.object({
  events: z.number().int().positive(),
  workflowTasks: z.number().int().positive(),
  activities: z.number().int().nonnegative(),
  localActivities: z.number().int().nonnegative(),
  signals: z.number().int().nonnegative(),
  updates: z.number().int().nonnegative(),
  payloadBytes: z.number().int().nonnegative(),
  historyJsonBytes: z.number().int().positive(),
  byType: z.record(z.string(), z.number()),
});

export const BaselineLevel = Level.extend({
  startMs: Percentiles,
  completionMs: Percentiles,
  /** The Temporal server's and the baseline worker's CPU per workflow. */
  cpuSecondsPerWorkflow: z.number().nonnegative(),
  /** The same, split: the server, the baseline's worker, the benchmark's client (not in the sum: it stands for the merchants). */
  cpuShares: z.object({ temporal: z.number().nonnegative(), worker: z.number().nonnegative(), benchClient: z.number().nonnegative() }).optional(),
});
export const GatewayLevel = Level.extend({
  ratioToBaseline: z.number().nonnegative(),
  registrationMs: Percentiles,
  /** Registration p99 over the bare start p99 of the baseline at the same concurrency (target ≤ 1.5). */
  registrationP99ToBareStartP99: z.number().nonnegative(),
  paymentCallMs: Percentiles,
  timeToNotificationMs: Percentiles,
  cpuSecondsPerPayment: z.object({
    total: z.number().nonnegative(),
    temporal: z.number().nonnegative(),
    worker: z.number().nonnegative(),
    api: z.number().nonnegative(),
    sandbox: z.number().nonnegative(),
    benchClient: z.number().nonnegative(),
  }),
});
export const MemoryRun = z.object({
  pending: z.number().int().nonnegative(),
  approved: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  firstError: z.string().optional(),
  createSeconds: z.number().nonnegative(),
  createdPerSecond: z.number().nonnegative(),
  rssMiB: z.object({ idle: Rss, pending: Rss, drained: Rss }),
  drainSeconds: z.number().nonnegative(),
  drainedPerSecond: z.number().nonnegative(),
  /** Merchants' inquiries at concurrency 50: of payments waiting for their customers (a query), and of closed ones (their result). */
  inquiry: z.object({
    count: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    inFlightMs: Percentiles,
    closedMs: Percentiles,
    /** Inquiries per second and CPU ms per inquiry (server, API, worker, the benchmark's client): what bounds the latency. */
    inFlight: InquiryPass.optional(),
    closed: InquiryPass.optional(),
  }),
});
/** Registrations and bare starts with nothing else in flight (bench/starts-alone.ts). */
export const StartsAlone = z.object({
  concurrency: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  firstError: z.string().optional(),
  bareStartMs: Percentiles,
  registrationMs: Percentiles,
  registrationP99ToBareStartP99: z.number().nonnegative(),
});
export const BenchResult = z.object({
  label: z.string(),
  at: z.iso.datetime(),
  machine: z.object({ cpus: z.number().int().positive(), model: z.string(), node: z.string() }),
  settings: z.object({
    /** Which Temporal server ran (the dev server on SQLite unless `--postgres`), and how many gateway workers. */
    temporal: z.enum(['dev-server', 'postgres']).default('dev-server'),
    gatewayWorkers: z.number().int().positive().default(1),
    sqlitePragmas: z.array(z.string()),
    dynamicConfig: z.array(z.string()),
    logLevel: z.string(),
    approveDelayMs: z.number(),
    worker: z.record(z.string(), z.string()),
  }),
  baseline: z.array(BaselineLevel),
  gateway: z.array(GatewayLevel),
  profile: z.object({ gateway: HistoryProfile, baseline: HistoryProfile }),
  memory: MemoryRun.optional(),
  startsAlone: StartsAlone.optional(),
  seconds: z.number().nonnegative(),
});

export type BaselineLevel = z.infer<typeof BaselineLevel>;
export type GatewayLevel = z.infer<typeof GatewayLevel>;
export type MemoryRun = z.infer<typeof MemoryRun>;
export type StartsAlone = z.infer<typeof StartsAlone>;
export type HistoryProfile = z.infer<typeof HistoryProfile>;
export type Percentiles = z.infer<typeof Percentiles>;
export type InquiryCpu = z.infer<typeof InquiryCpu>;
export type BenchResult = z.infer<typeof BenchResult>;
