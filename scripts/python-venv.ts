/**
 * A pinned Python package in its own venv under `.tools/` (git-ignored), for the tests in which a provider's own
 * client or SDK judges this project (NICEPAY's client the API, DANA's SDK the sandbox DANA). Shared by
 * scripts/python-client.ts and scripts/dana-python.ts.
 */
import { execFile } from 'node:child_process';
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

export class PythonVenvError extends Error {}

export interface PinnedPackage {
  /** `python-nicepay==1.1.1` */
  readonly requirement: string;
  /** An absolute folder, e.g. `.tools/py/`. */
  readonly venvDir: string;
  /** For messages: what needs it. */
  readonly neededFor: string;
  /** Checks, after pip, that the package imports; may repair the venv (a tkinter stub). Throws when it cannot. */
  readonly verify: (python: string) => Promise<void>;
}

export function venvPythonOf(venvDir: string): string {
  return join(venvDir, 'bin', 'python');
}

/** Path to the venv's python with the package importable; creates the venv on first use. */
export async function ensurePinnedPackage(pkg: PinnedPackage): Promise<string> {
  const python = venvPythonOf(pkg.venvDir);
  // Written last: its presence means the install finished and imports, so later calls skip pip entirely.
  const readyMarker = join(pkg.venvDir, `.${pkg.requirement.replace(/[^\w.-]+/g, '-')}.ready`);
  if (await exists(readyMarker)) return python;
  if (!(await exists(python))) {
    await mkdir(pkg.venvDir, { recursive: true });
    await runPython(pkg, 'python3', ['-m', 'venv', pkg.venvDir], 'python3 -m venv failed (Debian/Ubuntu: apt-get install python3-venv)');
  }
  await runPython(pkg, python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', pkg.requirement], `pip could not install ${pkg.requirement}`);
  await pkg.verify(python);
  await writeFile(readyMarker, `${new Date().toISOString()}\n`);
  return python;
}

export async function runPython(pkg: Pick<PinnedPackage, 'neededFor'>, file: string, args: string[], failure: string): Promise<void> {
  try {
    await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (e.code === 'ENOENT') throw new PythonVenvError(`${file} not found: Python 3 is needed for ${pkg.neededFor}`);
    throw new PythonVenvError(`${failure}:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message}`);
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

/** Run as a script (`node --import tsx scripts/<x>.ts`): set the venv up and print its python's path. */
export function setUpWhenRunAsScript(moduleUrl: string, label: string, ensure: () => Promise<string>): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  ensure().then(
    (python) => console.log(`${label}: ${python}`),
    (err: unknown) => {
      console.error(err instanceof PythonVenvError ? `${label}: ${err.message}` : err);
      process.exit(1);
    },
  );
}
