import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R15', projectPath('test', 'rules', 'R15-zone-device-type-confusion', 'cases'));
