import type { ConnectionLike, ConnectionPlugin, Metadata, OperatorService, WorkflowService } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';

/**
 * The Temporal SDK's native connection (gRPC in its Rust core: about half the client-side CPU per call of the
 * JavaScript one, `bench/client-connection.ts`), connected on first use as the client package's `Connection.lazy`
 * is: the SDK's `NativeConnection` can only be made by connecting, and a process that starts before Temporal must
 * still start (the API answers /health with 503 and merchants with 9002 until it is up).
 *
 * A failed connect is not remembered: the next call tries again. It fails as the server being unreachable does
 * (gRPC UNAVAILABLE), so callers read it as they read any other "nothing was done, retry".
 */
export class LazyNativeConnection implements ConnectionLike {
  readonly workflowService: WorkflowService;
  readonly operatorService: OperatorService;
  readonly plugins: ConnectionPlugin[] = [];
  #connecting: Promise<NativeConnection> | undefined;
  #closed = false;

  constructor(private readonly options: NativeConnectionOptions) {
    this.workflowService = this.#service((c) => c.workflowService);
    this.operatorService = this.#service((c) => c.operatorService);
  }

  /** The connection, connecting now if there is none. */
  connection(): Promise<NativeConnection> {
    if (this.#closed) return Promise.reject(unavailable('the connection to Temporal is closed'));
    this.#connecting ??= NativeConnection.connect(this.options).catch((err: unknown) => {
      this.#connecting = undefined;
      throw unavailable(`cannot connect to Temporal at ${this.options.address ?? 'localhost:7233'}: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.#connecting;
  }

  async ensureConnected(): Promise<void> {
    await this.connection();
  }

  async withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return (await this.connection()).withDeadline(deadline, fn);
  }

  async withMetadata<R>(metadata: Metadata, fn: () => Promise<R>): Promise<R> {
    return (await this.connection()).withMetadata(metadata, fn);
  }

  async withAbortSignal<R>(abortSignal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return (await this.connection()).withAbortSignal(abortSignal, fn);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connecting = this.#connecting;
    this.#connecting = undefined;
    await connecting?.then((c) => c.close()).catch(() => undefined);
  }

  /**
   * A service whose every method connects first, then calls the native connection's. The call runs inside the
   * caller's `withDeadline`/`withMetadata` scope, which the native connection keeps in its async-local storage.
   */
  #service<S extends object>(pick: (connection: NativeConnection) => S): S {
    return new Proxy({} as S, {
      // Not a thenable: `then` (and symbols) are no methods, so awaiting the service itself stays harmless.
      get: (_target, method) => (typeof method === 'symbol' || method === 'then' ? undefined : async (request: unknown) => {
        const service = pick(await this.connection());
        const call: unknown = Reflect.get(service, method);
        if (typeof call !== 'function') throw new TypeError(`Temporal service has no method ${String(method)}`);
        return (call as (this: S, request: unknown) => Promise<unknown>).call(service, request);
      }),
    });
  }
}

const GRPC_UNAVAILABLE = 14;

/** An error shaped as the SDK's gRPC errors are (`isGrpcServiceError`), with the code of an unreachable server. */
function unavailable(details: string): Error & { code: number; details: string; metadata: { get(key: string): unknown[] } } {
  // No metadata: the SDK reads status details with `metadata.get` and finds none.
  return Object.assign(new Error(`14 UNAVAILABLE: ${details}`), { code: GRPC_UNAVAILABLE, details, metadata: { get: (): unknown[] => [] } });
}
