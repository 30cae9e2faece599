import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R5', projectPath('test', 'rules', 'R5-map-type-incomplete', 'cases'));
