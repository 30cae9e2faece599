import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R10', projectPath('test', 'rules', 'R10-cpu-access-iomem', 'cases'));
