import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R7', projectPath('test', 'rules', 'R7-mmio-without-attr-mmio', 'cases'));
