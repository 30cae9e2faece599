import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R12', projectPath('test', 'rules', 'R12-bio-mixed-merge', 'cases'));
