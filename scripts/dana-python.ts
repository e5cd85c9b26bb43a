/**
 * DANA's own Python SDK (`dana-python` on PyPI, Apache-2.0), pinned, in a venv at `.tools/py-dana` (git-ignored),
 * for the tests in which DANA's SDK judges the sandbox DANA (test/e2e/python-dana.test.ts): if DANA's SDK works
 * against the simulator with only its host changed, the simulator speaks DANA's published protocol.
 *
 * As a script (`node --import tsx scripts/dana-python.ts`) it sets the venv up and prints its python's path.
 */
import { execFile } from 'node:child_process';
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const danaPythonVersion = '2.2.2';

const venvDir = fileURLToPath(new URL('../.tools/py-dana/', import.meta.url));
const venvPython = join(venvDir, 'bin', 'python');
/** Written last: its presence means the install finished and imports, so later calls skip pip entirely. */
const readyMarker = join(venvDir, `.dana-python-${danaPythonVersion}.ready`);
const probe = 'from dana.payment_gateway.v1 import PaymentGatewayApi; from dana.webhook import WebhookParser';

export class DanaPythonError extends Error {}

/** Path to the venv's python with `dana-python` importable; creates the venv on first use. */
export async function ensureDanaPython(): Promise<string> {
  if (await exists(readyMarker)) return venvPython;
  if (!(await exists(venvPython))) {
    await mkdir(venvDir, { recursive: true });
    await run('python3', ['-m', 'venv', venvDir], 'python3 -m venv failed (Debian/Ubuntu: apt-get install python3-venv)');
  }
  await run(
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', `dana-python==${danaPythonVersion}`],
    `pip could not install dana-python==${danaPythonVersion}`,
  );
  await run(venvPython, ['-c', probe], 'dana-python does not import');
  await writeFile(readyMarker, `${new Date().toISOString()}\n`);
  return venvPython;
}

async function run(file: string, args: string[], failure: string): Promise<void> {
  try {
    await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (e.code === 'ENOENT') throw new DanaPythonError(`${file} not found: Python 3 is needed for the DANA SDK test`);
    throw new DanaPythonError(`${failure}:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureDanaPython().then(
    (python) => console.log(`dana-python ${danaPythonVersion}: ${python}`),
    (err: unknown) => {
      console.error(err instanceof DanaPythonError ? `dana-python: ${err.message}` : err);
      process.exit(1);
    },
  );
}
