import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package version, read from package.json at run time (two levels above dist/src/cli). */
export const VERSION: string = (() => {
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
})();
