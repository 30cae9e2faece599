import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R11', projectPath('test', 'rules', 'R11-gup-flag-gating', 'cases'));
