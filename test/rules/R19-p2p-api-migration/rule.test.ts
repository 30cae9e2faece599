import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R19', projectPath('test', 'rules', 'R19-p2p-api-migration', 'cases'));
