import { z } from 'zod';
import { DEFAULT_SETTLE_MARGIN_MINUTES } from '../../workflows/reconciliation.js';

/** A week: a run reads every payment registered in its window, so an unbounded lookback is an unbounded scan. */
export const MAX_LOOKBACK_HOURS = 168;
/** A day: a larger margin leaves out payments that have long settled. */
export const MAX_SETTLE_MARGIN_MINUTES = 1440;

/**
 * `POST /ops/reconciliation/run`: the window to reconcile, `[now − lookbackHours, now − settleMarginMinutes)`.
 * Unknown keys are refused, so a misspelt field is not silently replaced by its default.
 */
export const ReconciliationRunBody = z
  .strictObject({
    lookbackHours: z.number().gt(0).lte(MAX_LOOKBACK_HOURS).default(24),
    settleMarginMinutes: z.number().int().gte(0).lte(MAX_SETTLE_MARGIN_MINUTES).optional(),
  })
  // The workflow refuses an empty window too, but only after it started: refuse it here with the field named.
  .refine((b) => (b.settleMarginMinutes ?? DEFAULT_SETTLE_MARGIN_MINUTES) < b.lookbackHours * 60, {
    path: ['settleMarginMinutes'],
    message: `must be less than lookbackHours × 60 (default ${DEFAULT_SETTLE_MARGIN_MINUTES})`,
  });
export type ReconciliationRunBody = z.infer<typeof ReconciliationRunBody>;
