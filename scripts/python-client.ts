/**
 * NICEPAY's own Python client (`python-nicepay` on PyPI), in a venv at `.tools/py`, for the compatibility test:
 * if NICEPAY's client works against the gateway unchanged, so does a merchant's integration built on it.
 *
 * As a script (`tsx scripts/python-client.ts`) it sets the venv up and prints its python's path.
 */
import { execFile } from 'node:child_process';
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const pythonNicepayVersion = '1.1.1';

const venvDir = fileURLToPath(new URL('../.tools/py/', import.meta.url));
const venvPython = join(venvDir, 'bin', 'python');
/** Written last: its presence means the install finished and imports, so later calls skip pip entirely. */
const readyMarker = join(venvDir, `.python-nicepay-${pythonNicepayVersion}.ready`);

/** The module that drags in tkinter (`from tkinter.messagebox import RETRY` in constantsEndpoint.py). */
const probeModule = 'python_nicepay.constants.constantsEndpoint';

export class PythonClientError extends Error {}

/** Path to the venv's python with `python-nicepay` importable; creates the venv on first use. */
export async function ensurePythonClient(): Promise<string> {
  if (await exists(readyMarker)) return venvPython;
  if (!(await exists(venvPython))) {
    await mkdir(venvDir, { recursive: true });
    await run('python3', ['-m', 'venv', venvDir], 'python3 -m venv failed (Debian/Ubuntu: apt-get install python3-venv)');
  }
  await run(
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', `python-nicepay==${pythonNicepayVersion}`],
    `pip could not install python-nicepay==${pythonNicepayVersion}`,
  );
  if (!(await imports(probeModule))) {
    // Headless Pythons are often built without Tk; the package only wants one constant from it.
    await stubTkinter();
    if (!(await imports(probeModule))) {
      await run(venvPython, ['-c', `import ${probeModule}`], 'python-nicepay does not import even with a tkinter stub');
      throw new PythonClientError(`python-nicepay does not import (${probeModule})`);
    }
  }
  await writeFile(readyMarker, `${new Date().toISOString()}\n`);
  return venvPython;
}

async function imports(module: string): Promise<boolean> {
  try {
    await execFileAsync(venvPython, ['-c', `import ${module}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Headless Pythons often lack Tk: Debian's has no `tkinter` at all, pyenv's may have `tkinter` but no `_tkinter`.
 * A `.pth` hook in the venv (run at interpreter start, before any user import) registers a stub `tkinter.messagebox`
 * only when `_tkinter` cannot be found, so a real Tk always wins and the stdlib copy cannot shadow the stub.
 */
async function stubTkinter(): Promise<void> {
  const { stdout } = await execFileAsync(venvPython, ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"]);
  const sitePackages = stdout.trim();
  const hook = [
    '# Written by scripts/python-client.ts: python-nicepay imports tkinter.messagebox.RETRY, and this Python has no Tk.',
    'import importlib.util, sys, types',
    "if importlib.util.find_spec('_tkinter') is None:",
    "    tk = types.ModuleType('tkinter')",
    '    tk.__path__ = []',
    "    box = types.ModuleType('tkinter.messagebox')",
    '    # Values as in CPython\'s Lib/tkinter/messagebox.py.',
    "    for name in ('abort', 'retry', 'ignore', 'ok', 'cancel', 'yes', 'no'):",
    '        setattr(box, name.upper(), name)',
    '    tk.messagebox = box',
    "    sys.modules.setdefault('tkinter', tk)",
    "    sys.modules.setdefault('tkinter.messagebox', box)",
    '',
  ].join('\n');
  await writeFile(join(sitePackages, 'ewallet_tkinter_stub.py'), hook);
  await writeFile(join(sitePackages, 'ewallet_tkinter_stub.pth'), 'import ewallet_tkinter_stub\n');
  process.stderr.write(`python-client: this Python has no Tk; stubbed tkinter.messagebox in ${sitePackages}\n`);
}

async function run(file: string, args: string[], failure: string): Promise<void> {
  try {
    await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (e.code === 'ENOENT') throw new PythonClientError(`${file} not found: Python 3 is needed for the NICEPAY client test`);
    throw new PythonClientError(`${failure}:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message}`);
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
  ensurePythonClient().then(
    (python) => console.log(`python-nicepay ${pythonNicepayVersion}: ${python}`),
    (err: unknown) => {
      console.error(err instanceof PythonClientError ? `python-client: ${err.message}` : err);
      process.exit(1);
    },
  );
}
