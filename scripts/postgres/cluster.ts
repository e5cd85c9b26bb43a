/**
 * A PostgreSQL-backed Temporal server on one machine, without Docker, as docker-compose.yml runs it. Used by
 * `npm run start:postgres` (scripts/postgres/start.ts), the crash test's `--postgres` mode (scripts/chaos/run.ts) and
 * the benchmark's `--postgres` (bench/stack.ts); each of them starts and watches the two long-lived processes its own
 * way, so they are handed to the caller's `launch`:
 *
 *   1. builds the Temporal server and its sql tool from the Go module proxy, once (scripts/postgres/temporal-server.ts);
 *   2. a private PostgreSQL cluster (Debian's server binaries, /usr/lib/postgresql/<n>/bin; apt-get installs them when
 *      missing and root) in <dataDir>/postgres on 127.0.0.1:<pgPort>, run as the `postgres` user when started as
 *      root; initdb on first start;
 *   3. the `temporal` and `temporal_visibility` databases, their schemas set up and updated with the sql tool from
 *      the module's schema/postgresql/v12;
 *   4. `temporal-server start` with a configuration derived from the module's config/development-postgres12.yaml
 *      (frontend on `frontendPort`, the other services on free ports), written to <dataDir>/temporal-server;
 *   5. the namespace and the payments' search attributes (scripts/postgres/setup-namespace.ts, as docker-compose.yml).
 *
 * PostgreSQL runs in the foreground as one of the caller's children, not daemonised by pg_ctl, so the caller's
 * process management covers it. Stop it with SIGINT (its "fast" shutdown, as `pg_ctl stop -m fast`), after the
 * Temporal server.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { waitForTemporal } from '../start-all.js';
import { resolveTemporalCli } from '../temporal-binaries.js';
import { setupNamespace } from './setup-namespace.js';
import { ensureTemporalServer, temporalServerVersion } from './temporal-server.js';

const execFileAsync = promisify(execFile);
const postgresReadyTimeoutMs = 60_000;
const dbUser = 'temporal';

/** Whether `port` can be bound on loopback right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((settle) => {
    const server = createServer();
    server.once('error', () => settle(false));
    server.listen(port, '127.0.0.1', () => server.close(() => settle(true)));
  });
}

// ---------------------------------------------------------------------------------------------- PostgreSQL

/** Debian's server binaries, the newest major version; POSTGRES_BIN_DIR names another folder. */
function findPostgresBinDir(): string | undefined {
  const override = process.env.POSTGRES_BIN_DIR;
  if (override) return existsSync(join(override, 'initdb')) ? override : undefined;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(base, versions[0], 'bin');
}

function ensurePostgresBinDir(say: (line: string) => void): string {
  const found = findPostgresBinDir();
  if (found) return found;
  if (process.env.POSTGRES_BIN_DIR) throw new Error(`POSTGRES_BIN_DIR=${process.env.POSTGRES_BIN_DIR} has no initdb`);
  if (process.getuid?.() !== 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install them (Debian: apt-get install postgresql) or set POSTGRES_BIN_DIR');
  say('PostgreSQL server binaries not found: apt-get install postgresql');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'postgresql']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
  const installed = findPostgresBinDir();
  if (!installed) throw new Error('apt-get installed postgresql, but no initdb under /usr/lib/postgresql/*/bin');
  return installed;
}

interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user (Debian's package makes it). */
function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as (useradd --system postgres)');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Every folder above `dir` must be searchable by the postgres user; say which is not, rather than initdb's riddle. */
async function checkTraversable(dir: string, user: RunAs): Promise<void> {
  if (user.uid === undefined) return;
  for (let d = dirname(dir); ; d = dirname(d)) {
    const s = await stat(d);
    const others = (s.mode & 0o001) !== 0;
    const group = (s.mode & 0o010) !== 0 && s.gid === user.gid;
    if (!others && !group && s.uid !== user.uid) throw new Error(`the postgres user cannot reach ${dir}: ${d} is not searchable by others (chmod o+x ${d}, or set DATA_DIR elsewhere)`);
    if (d === dirname(d)) return;
  }
}

function execAs(file: string, args: readonly string[], user: RunAs, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(file, args, { ...user, env: { PATH: process.env.PATH, LANG: 'C', ...env }, maxBuffer: 16 * 1024 * 1024 });
}

async function initCluster(binDir: string, clusterDir: string, password: string, user: RunAs): Promise<boolean> {
  if (existsSync(join(clusterDir, 'PG_VERSION'))) return false;
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) await chown(clusterDir, user.uid, user.gid ?? -1);
  await checkTraversable(clusterDir, user);
  // The password reaches initdb through a file only it can read, never the command line.
  const pwfile = join(dirname(clusterDir), `.postgres-pw-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (user.uid !== undefined) await chown(pwfile, user.uid, user.gid ?? -1);
  try {
    await execAs(join(binDir, 'initdb'), ['-D', clusterDir, '-U', dbUser, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'], user);
  } catch (err) {
    await rm(clusterDir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as Error & { stderr?: string }).stderr ?? (err as Error).message}`);
  } finally {
    await rm(pwfile, { force: true });
  }
  return true;
}

async function waitForPostgres(binDir: string, port: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + postgresReadyTimeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('PostgreSQL exited before it accepted connections (see its log above)');
    try {
      await execFileAsync(join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { timeout: 5000 });
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within ${postgresReadyTimeoutMs / 1000} s`);
}

// ------------------------------------------------------------------------------------------------ schemas

async function sqlTool(tool: string, port: number, password: string, database: string, args: readonly string[]): Promise<string> {
  const flags = ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(port), '--user', dbUser, '--database', database];
  try {
    // SQL_PASSWORD: the tool's own variable for --password, kept off the command line.
    const { stdout, stderr } = await execFileAsync(tool, [...flags, ...args], { env: { ...process.env, SQL_PASSWORD: password }, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`temporal sql tool ${args.join(' ')} on ${database} failed: ${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message}`);
  }
}

/** Creates the database and its schema the first time, then applies any newer versioned schema (idempotent). */
async function setupSchema(tool: string, port: number, password: string, database: string, versionedDir: string, marker: string): Promise<void> {
  if (!existsSync(marker)) {
    try {
      await sqlTool(tool, port, password, database, ['create-database']);
    } catch (err) {
      if (!/already exists/i.test((err as Error).message)) throw err;
    }
    await sqlTool(tool, port, password, database, ['setup-schema', '-v', '0.0']);
    await writeFile(marker, `${new Date().toISOString()}\n`);
  }
  await sqlTool(tool, port, password, database, ['update-schema', '-d', versionedDir]);
}

// ---------------------------------------------------------------------------------------- server config

interface ServerPorts {
  readonly frontend: number;
  readonly frontendHttp: number;
  readonly frontendMembership: number;
  readonly history: number;
  readonly historyMembership: number;
  readonly matching: number;
  readonly matchingMembership: number;
  readonly worker: number;
  readonly workerMembership: number;
}

/**
 * The other services' ports, at the stock layout's offsets from the frontend's (7233: history 7234, matching 7235,
 * worker 7239, HTTP 7243, membership 6933…), each moved up to the next free one. Below 32768: the server keeps
 * membership ports in a PostgreSQL smallint.
 */
export async function serverPorts(frontend: number): Promise<ServerPorts> {
  const taken = new Set([frontend]);
  const near = async (offset: number): Promise<number> => {
    for (let p = Math.max(1024, frontend + offset); p < 32768; p++) {
      if (!taken.has(p) && (await canBind(p))) {
        taken.add(p);
        return p;
      }
    }
    throw new Error(`no free port below 32768 near ${frontend + offset} for the Temporal server`);
  };
  if (frontend >= 32768) throw new Error(`TEMPORAL_ADDRESS port ${frontend}: the Temporal server's ports must be below 32768`);
  return {
    frontend,
    history: await near(1),
    matching: await near(2),
    worker: await near(6),
    frontendHttp: await near(10),
    frontendMembership: await near(-300),
    historyMembership: await near(-299),
    matchingMembership: await near(-298),
    workerMembership: await near(-294),
  };
}

type Yaml = Record<string, unknown>;
const obj = (v: unknown, what: string): Yaml => {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Yaml;
  throw new Error(`config/development-postgres12.yaml has no ${what} section (a newer server layout?)`);
};

/** The module's development-postgres12.yaml with this cluster's address, password and ports, and no metrics/pprof listeners. */
export async function serverConfig(moduleDir: string, p: ServerPorts, pgPort: number, password: string): Promise<string> {
  const config = obj(parse(await readFile(join(moduleDir, 'config', 'development-postgres12.yaml'), 'utf8')), 'root');
  config.log = { stdout: true, level: process.env.TEMPORAL_LOG_LEVEL ?? 'warn' };
  const datastores = obj(obj(config.persistence, 'persistence').datastores, 'persistence.datastores');
  for (const store of Object.values(datastores)) {
    const sql = obj(obj(store, 'datastore').sql, 'datastore.sql');
    sql.connectAddr = `127.0.0.1:${pgPort}`;
    sql.user = dbUser;
    sql.password = password;
  }
  const global = obj(config.global, 'global');
  delete global.pprof; // debugging listener on a fixed port: off
  delete global.metrics; // Prometheus on a fixed port: off
  const services = obj(config.services, 'services');
  const rpc = (name: string, grpcPort: number, membershipPort: number, httpPort?: number): void => {
    const r = obj(obj(services[name], `services.${name}`).rpc, `services.${name}.rpc`);
    r.grpcPort = grpcPort;
    r.membershipPort = membershipPort;
    r.bindOnLocalHost = true;
    if (httpPort !== undefined) r.httpPort = httpPort;
  };
  rpc('frontend', p.frontend, p.frontendMembership, p.frontendHttp);
  rpc('history', p.history, p.historyMembership);
  rpc('matching', p.matching, p.matchingMembership);
  rpc('worker', p.worker, p.workerMembership);
  const cluster = obj(obj(obj(config.clusterMetadata, 'clusterMetadata').clusterInformation, 'clusterInformation').active, 'clusterInformation.active');
  cluster.rpcAddress = `127.0.0.1:${p.frontend}`;
  // Archival writes to /tmp by default: not needed here.
  config.archival = { history: { state: 'disabled' }, visibility: { state: 'disabled' } };
  delete config.namespaceDefaults;
  obj(config.dynamicConfigClient, 'dynamicConfigClient').filepath = join(moduleDir, 'config', 'dynamicconfig', 'development-sql.yaml');
  return stringify(config);
}


// ------------------------------------------------------------------------------------------------ start

/** A long-lived process for the caller to start (and restart, the same way) under its own management. */
export interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** The user to run as (PostgreSQL refuses root). */
  readonly uid?: number;
  readonly gid?: number;
}

/** Starts `command` as the caller's child named `name`; answers whether it is still running. */
export type Launch = (name: 'postgres' | 'temporal', command: Command) => () => boolean;

export interface PostgresTemporalOptions {
  readonly dataDir: string;
  /** The Temporal frontend's port on 127.0.0.1 (below 32768). */
  readonly frontendPort: number;
  readonly pgPort: number;
  readonly password: string;
  readonly namespace: string;
  /** Progress lines, including `timing <phase> <seconds> s` (the smoke test reads them). */
  readonly say: (line: string) => void;
}

/** The environment minus `prefix`-named variables (libpq's PG*, the apps' TEMPORAL_*): they would name another server. */
const envWithout = (prefix: string): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith(prefix)));

/** Steps 1–5 above; returns once the namespace answers. */
export async function startPostgresTemporal(o: PostgresTemporalOptions, launch: Launch): Promise<void> {
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const value = await work();
    o.say(`timing ${phase} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return value;
  };
  const binaries = await timed('build', () => ensureTemporalServer(o.say));
  o.say(`Temporal server ${temporalServerVersion}: ${binaries.server}${binaries.built ? ' (built now)' : ' (cached)'}`);
  const temporalCli = await resolveTemporalCli();
  const pgBin = ensurePostgresBinDir(o.say);
  const user = postgresUser();
  const clusterDir = join(o.dataDir, 'postgres');
  const initialised = await timed('initdb', () => initCluster(pgBin, clusterDir, o.password, user));
  o.say(`PostgreSQL (${pgBin}) cluster ${clusterDir}${initialised ? ' (new)' : ''} on 127.0.0.1:${o.pgPort}`);

  const postgresAlive = launch('postgres', {
    file: join(pgBin, 'postgres'),
    // No Unix socket (its default folder belongs to the system's cluster): TCP on loopback only.
    args: ['-D', clusterDir, '-p', String(o.pgPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'log_min_messages=warning', '-c', 'log_checkpoints=off'],
    // CI's process marker and the rest of the environment stay; LANG=C for messages the code can read.
    env: { ...envWithout('PG'), LANG: 'C' },
    ...user,
  });
  await timed('postgres', () => waitForPostgres(pgBin, o.pgPort, postgresAlive));

  const schemaDir = join(binaries.moduleDir, 'schema', 'postgresql', 'v12');
  await timed('schema', async () => {
    await setupSchema(binaries.sqlTool, o.pgPort, o.password, 'temporal', join(schemaDir, 'temporal', 'versioned'), join(clusterDir, 'temporal-schema.created'));
    await setupSchema(binaries.sqlTool, o.pgPort, o.password, 'temporal_visibility', join(schemaDir, 'visibility', 'versioned'), join(clusterDir, 'temporal-visibility-schema.created'));
  });

  const serverDir = join(o.dataDir, 'temporal-server');
  await mkdir(serverDir, { recursive: true });
  const ports = await serverPorts(o.frontendPort);
  const configFile = join(serverDir, 'config.yaml');
  await writeFile(configFile, await serverConfig(binaries.moduleDir, ports, o.pgPort, o.password), { mode: 0o600 });
  await chmod(configFile, 0o600); // holds the database password
  o.say(`Temporal server config ${configFile} (frontend 127.0.0.1:${o.frontendPort})`);
  // --allow-no-auth: no authorizer, as with the dev server; the frontend listens on loopback only.
  const serverAlive = launch('temporal', { file: binaries.server, args: ['--config-file', configFile, '--allow-no-auth', 'start'], env: envWithout('TEMPORAL_') });
  await timed('temporal', () => waitForTemporal(temporalCli, o.frontendPort, serverAlive));
  const prepared = await timed('namespace', () => setupNamespace(`127.0.0.1:${o.frontendPort}`, o.namespace));
  if (prepared.length > 0) o.say(prepared.join('; '));
}
