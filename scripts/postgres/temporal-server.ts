/**
 * The real Temporal server and its SQL schema tool, built from the Go module proxy (no Docker, no GitHub release
 * download): `go install go.temporal.io/server/cmd/server@v1.32.2` and `.../cmd/tools/sql@v1.32.2`, about five
 * minutes on two cores the first time, then cached in `.tools/temporal-server/<version>/` (git-ignored). Go's own
 * caches (module cache, the Go toolchain it fetches; the build cache is removed afterwards) stay under `.tools/go`,
 * so nothing lands in $HOME (about 1.9 GB there, 210 MB of binaries).
 *
 * The module's source in that cache is also where the schemas (`schema/postgresql/v12`) and the configuration
 * templates (`config/development-postgres12.yaml`, `config/dynamicconfig/development-sql.yaml`) come from.
 */
import { spawn } from 'node:child_process';
import { access, constants, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const temporalServerVersion = '1.32.2';
/** The server's go.mod wants a newer Go than Debian's; `go` fetches this toolchain through the module proxy. */
const goToolchain = 'go1.27.3';

const toolsDir = fileURLToPath(new URL('../../.tools/', import.meta.url));
const goDir = join(toolsDir, 'go');

export interface TemporalServerBinaries {
  readonly server: string;
  readonly sqlTool: string;
  /** The module's source: schema/ and config/ live here. */
  readonly moduleDir: string;
  /** Whether this call built them (false: taken from the cache). */
  readonly built: boolean;
}

async function exists(path: string, mode = constants.F_OK): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

export function binDir(version = temporalServerVersion): string {
  return join(toolsDir, 'temporal-server', version);
}

/** The binaries, built on first use; `log` gets a line before the (long) build starts. */
export async function ensureTemporalServer(log: (line: string) => void, version = temporalServerVersion): Promise<TemporalServerBinaries> {
  const bin = binDir(version);
  const server = join(bin, 'server');
  const sqlTool = join(bin, 'sql');
  const moduleDir = join(goDir, 'mod', 'go.temporal.io', `server@v${version}`);
  const cached =
    (await exists(server, constants.X_OK)) &&
    (await exists(sqlTool, constants.X_OK)) &&
    (await exists(join(moduleDir, 'schema', 'postgresql', 'v12'))) &&
    (await stat(server)).isFile();
  if (cached) return { server, sqlTool, moduleDir, built: false };

  log(`building the Temporal server ${version} and its sql tool from the Go module proxy into ${bin} (about 5 minutes, once)`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOBIN: bin,
    GOPATH: goDir,
    GOMODCACHE: join(goDir, 'mod'),
    GOCACHE: join(goDir, 'cache'),
    // The module cache read-write, so `rm -rf .tools` works.
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? goToolchain,
  };
  const packages = [`go.temporal.io/server/cmd/server@v${version}`, `go.temporal.io/server/cmd/tools/sql@v${version}`];
  await new Promise<void>((settle, reject) => {
    const go = spawn('go', ['install', ...packages], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    go.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ENOENT' ? 'go not found: install Go (any version from 1.21 fetches the toolchain it needs)' : `go install: ${err.message}`)),
    );
    go.once('exit', (code, signal) => (code === 0 ? settle() : reject(new Error(`go install ${packages.join(' ')} failed (${signal ?? `exit code ${code}`})`))));
  });
  // Go's build cache (1.6 GB) only speeds up a rebuild; the module cache stays (schemas, configuration templates).
  await rm(join(goDir, 'cache'), { recursive: true, force: true });
  return { server, sqlTool, moduleDir, built: true };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const b = await ensureTemporalServer((line) => console.log(line));
  console.log(`${b.built ? 'built' : 'cached'} in ${((Date.now() - started) / 1000).toFixed(1)} s:\n  ${b.server}\n  ${b.sqlTool}\n  ${b.moduleDir}`);
}
