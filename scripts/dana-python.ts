/**
 * DANA's own Python SDK (`dana-python` on PyPI, Apache-2.0), pinned, in a venv at `.tools/py-dana` (git-ignored),
 * for the tests in which DANA's SDK judges the sandbox DANA (test/e2e/python-dana.test.ts): if DANA's SDK works
 * against the simulator with only its host changed, the simulator speaks DANA's published protocol.
 *
 * As a script (`node --import tsx scripts/dana-python.ts`) it sets the venv up and prints its python's path.
 */
import { fileURLToPath } from 'node:url';
import { ensurePinnedPackage, runPython, setUpWhenRunAsScript } from './python-venv.js';

export const danaPythonVersion = '2.2.2';

const probe = 'from dana.payment_gateway.v1 import PaymentGatewayApi; from dana.webhook import WebhookParser';

/** Path to the venv's python with `dana-python` importable; creates the venv on first use. */
export function ensureDanaPython(): Promise<string> {
  const pkg = {
    requirement: `dana-python==${danaPythonVersion}`,
    venvDir: fileURLToPath(new URL('../.tools/py-dana/', import.meta.url)),
    neededFor: 'the DANA SDK test',
    verify: (python: string) => runPython(pkg, python, ['-c', probe], 'dana-python does not import'),
  };
  return ensurePinnedPackage(pkg);
}

setUpWhenRunAsScript(import.meta.url, `dana-python ${danaPythonVersion}`, ensureDanaPython);
