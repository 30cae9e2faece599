import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R2', projectPath('test', 'rules', 'R2-single-map-api-on-p2p', 'cases'));
