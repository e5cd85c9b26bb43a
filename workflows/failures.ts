import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { FailureType } from '../domain/failures.js';

/** The typed application failure behind an activity failure, if any. */
export function applicationCause(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  if (err instanceof ApplicationFailure) return err;
  return undefined;
}

export function isFailureOfType(err: unknown, type: FailureType): boolean {
  return applicationCause(err)?.type === type;
}

export function failureDetail<T>(err: unknown): T | undefined {
  return applicationCause(err)?.details?.[0] as T | undefined;
}

export function describeFailure(err: unknown): string {
  const app = applicationCause(err);
  if (app) return app.message;
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
