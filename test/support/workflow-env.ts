import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach } from 'node:test';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { Activities } from '../../activities/index.js';
import { resolveTestServer } from '../../scripts/temporal-binaries.js';
import { paymentMetricsSinks } from '../../platform/metrics.js';
import { bundlerOptions, workflowsPath } from '../../workers/bundle.js';
import { paymentWorkflowId, refundWorkflowId } from '../../domain/tx-id.js';
import type { paymentWorkflow } from '../../workflows/payment.js';
import type { refundWorkflow } from '../../workflows/refund.js';
import type { PaymentView, PaymentWorkflowInput } from '../../workflows/messages.js';

/**
 * One workflow bundle per suite (STYLE) and a fresh time-skipping server per test: the test server's clock is
 * global, so one test's leftovers (a timer on a task queue nobody polls any more) could stall the next test's
 * skipping. A test server starts in about 0.2 s.
 */
export class WorkflowSuite {
  #env: TestWorkflowEnvironment | undefined;
  #serverPath = '';
  #bundle: WorkflowBundleWithSourceMap | undefined;

  /** The suite of a describe block: bundles once before its tests, gives each test a fresh server, stops after. */
  static forEachTest(): WorkflowSuite {
    const suite = new WorkflowSuite();
    before(() => suite.prepare());
    beforeEach(() => suite.freshEnv());
    afterEach(() => suite.stop());
    after(() => suite.stop());
    return suite;
  }

  private async prepare(): Promise<void> {
    // Activity failures are the point of several tests: keep the SDK's warnings about them out of the report.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
    this.#serverPath = await resolveTestServer();
    this.#bundle = await bundleWorkflowCode({ workflowsPath, ...bundlerOptions, logger: quietLogger });
  }

  get env(): TestWorkflowEnvironment {
    if (!this.#env) throw new Error('no test environment: call freshEnv() in beforeEach');
    return this.#env;
  }

  async freshEnv(): Promise<void> {
    await this.#env?.teardown();
    this.#env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: this.#serverPath } } });
  }

  /**
   * Runs `body` with a worker serving the given activities, on a fresh task queue or on `taskQueue`, one the test
   * already used before any worker polled it.
   */
  async withWorker<T>(activities: Activities, body: (taskQueue: string) => Promise<T>, taskQueue = `test-${randomUUID()}`): Promise<T> {
    if (!this.#bundle) throw new Error('the workflow bundle is not built: use WorkflowSuite.forEachTest()');
    const worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue,
      workflowBundle: this.#bundle,
      activities,
      sinks: paymentMetricsSinks(),
    });
    return worker.runUntil(body(taskQueue));
  }

  async startPayment(taskQueue: string, input: PaymentWorkflowInput): Promise<WorkflowHandle<typeof paymentWorkflow>> {
    return this.env.client.workflow.start<typeof paymentWorkflow>('paymentWorkflow', {
      taskQueue,
      workflowId: paymentWorkflowId(input.tXid),
      args: [input],
    });
  }

  /** A closed payment's refund workflow, started as the API starts it (without its search attributes here). */
  async startRefunds(taskQueue: string, payment: PaymentView): Promise<WorkflowHandle<typeof refundWorkflow>> {
    return this.env.client.workflow.start<typeof refundWorkflow>('refundWorkflow', {
      taskQueue,
      workflowId: refundWorkflowId(payment.tXid),
      args: [{ payment, searchable: false }],
    });
  }

  /** Saves a finished workflow's history for the replay test (RECORD_HISTORIES=1). */
  async maybeRecordHistory(handle: WorkflowHandle, name: string): Promise<void> {
    if (process.env.RECORD_HISTORIES !== '1') return;
    const history = await handle.fetchHistory();
    writeFileSync(new URL(`../replay/histories/${name}.json`, import.meta.url), historyToJSON(history));
  }

  async stop(): Promise<void> {
    await this.#env?.teardown();
    this.#env = undefined;
  }
}

/** webpack's bundle report is long and only interesting when bundling breaks: errors only. */
export const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};
