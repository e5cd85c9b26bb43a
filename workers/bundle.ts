import { fileURLToPath } from 'node:url';
import type { BundleOptions } from '@temporalio/worker';

/** Workflows are bundled from TypeScript source; resolved from import.meta.url, as ES modules require. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * NodeNext TypeScript imports name `.js` files that exist as `.ts`: teach the workflow bundler's webpack the same
 * mapping (sdk-typescript#1185).
 */
export const bundlerOptions: Pick<BundleOptions, 'webpackConfigHook'> = {
  webpackConfigHook: (config) => {
    config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
    return config;
  },
};
