import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package version, read from package.json at run time (above dist/src/cli, or dist/cli for the bundle). */
export const VERSION: string = (() => {
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version: string };
      if (pkg.name === 'p2pcheck') return pkg.version;
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
})();
