import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R6', projectPath('test', 'rules', 'R6-unmap-mismatch', 'cases'));
