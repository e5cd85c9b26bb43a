/**
 * `npm run start:postgres`: the production topology on one machine, without Docker. The same worker, API, sandbox
 * and codec server as `npm start`, but against the real Temporal server (not the CLI's dev server) storing into
 * PostgreSQL, as docker-compose.yml runs it: scripts/postgres/cluster.ts builds and starts the server and its
 * database, then the apps start exactly as scripts/start-all.ts starts them (its code).
 *
 * Ctrl-C stops the apps, then the Temporal server, then PostgreSQL (fast shutdown, as `pg_ctl stop -m fast`). No
 * Web UI: the standalone UI is a Docker image; the CLI's dev server has one built in, but only for its own server
 * (use `temporal workflow list --address …`).
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../domain/config.js';
import { checkPortsFree, isRunning, runScript, say, startApps, startChild, superviseChildren, temporalPort } from '../start-all.js';
import { startPostgresTemporal } from './cluster.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  const config = loadConfig();
  const frontendPort = temporalPort(config.temporal.address, 'npm run start:postgres runs its own Temporal server on 127.0.0.1');
  const pgPort = Number(process.env.POSTGRES_PORT ?? 5433);
  if (!Number.isInteger(pgPort) || pgPort < 1 || pgPort > 65535) throw new Error(`POSTGRES_PORT=${process.env.POSTGRES_PORT} is not a port`);
  const dataDir = resolve(root, config.dataDir);
  await checkPortsFree([
    { what: 'Temporal', variable: 'TEMPORAL_ADDRESS', host: '127.0.0.1', port: frontendPort },
    { what: 'PostgreSQL', variable: 'POSTGRES_PORT', host: '127.0.0.1', port: pgPort },
    { what: 'API', variable: 'API_PORT', host: config.api.host, port: config.api.port },
    { what: 'operations listener', variable: 'OPS_PORT', host: config.ops.host, port: config.ops.port },
    { what: 'sandbox', variable: 'SANDBOX_PORT', host: config.sandbox.host, port: config.sandbox.port },
    ...(config.payloadKeys ? [{ what: 'codec server', variable: 'CODEC_PORT', host: '127.0.0.1', port: config.codec.port }] : []),
  ]);
  await mkdir(dataDir, { recursive: true });

  superviseChildren();
  const options = { dataDir, frontendPort, pgPort, password: process.env.POSTGRES_PASSWORD ?? 'temporal', namespace: config.temporal.namespace, say };
  await startPostgresTemporal(options, (name, c) => {
    const child = startChild(name, c.file, c.args, c.env, { kind: name === 'postgres' ? 'database' : 'temporal', uid: c.uid, gid: c.gid });
    return () => isRunning(child);
  });

  say('Temporal is up; starting worker, API and sandbox');
  const ui = `none without Docker (the standalone UI is an image); \`temporal workflow list --address 127.0.0.1:${frontendPort}\``;
  const started = Date.now();
  await startApps(config, ui);
  say(`timing apps ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

runScript(main);
