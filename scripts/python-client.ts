/**
 * NICEPAY's own Python client (`python-nicepay` on PyPI), in a venv at `.tools/py`, for the compatibility test:
 * if NICEPAY's client works against the gateway unchanged, so does a merchant's integration built on it.
 *
 * As a script (`tsx scripts/python-client.ts`) it sets the venv up and prints its python's path.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePinnedPackage, execFileAsync, PythonVenvError, runPython, setUpWhenRunAsScript, venvPythonOf } from './python-venv.js';

export const pythonNicepayVersion = '1.1.1';

const venvDir = fileURLToPath(new URL('../.tools/py/', import.meta.url));
const venvPython = venvPythonOf(venvDir);

/** The module that drags in tkinter (`from tkinter.messagebox import RETRY` in constantsEndpoint.py). */
const probeModule = 'python_nicepay.constants.constantsEndpoint';

/** Path to the venv's python with `python-nicepay` importable; creates the venv on first use. */
export function ensurePythonClient(): Promise<string> {
  const pkg = {
    requirement: `python-nicepay==${pythonNicepayVersion}`,
    venvDir,
    neededFor: 'the NICEPAY client test',
    async verify(): Promise<void> {
      if (await imports(probeModule)) return;
      // Headless Pythons are often built without Tk; the package only wants one constant from it.
      await stubTkinter();
      if (await imports(probeModule)) return;
      await runPython(pkg, venvPython, ['-c', `import ${probeModule}`], 'python-nicepay does not import even with a tkinter stub');
      throw new PythonVenvError(`python-nicepay does not import (${probeModule})`);
    },
  };
  return ensurePinnedPackage(pkg);
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

setUpWhenRunAsScript(import.meta.url, `python-nicepay ${pythonNicepayVersion}`, ensurePythonClient);
