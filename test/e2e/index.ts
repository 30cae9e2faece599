import Mocha from 'mocha';
import { defineSuite } from './extension-suite.js';

/** The e2e entry the vscode-e2e kit calls inside a real VS Code (see ../shared/tools/vscode-e2e). */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'extension-suite', mocha);
  defineSuite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} failed`)) : resolve()));
  });
}
