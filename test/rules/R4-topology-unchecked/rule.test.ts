import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R4', projectPath('test', 'rules', 'R4-topology-unchecked', 'cases'));
