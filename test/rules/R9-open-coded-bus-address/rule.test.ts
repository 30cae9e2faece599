import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R9', projectPath('test', 'rules', 'R9-open-coded-bus-address', 'cases'));
