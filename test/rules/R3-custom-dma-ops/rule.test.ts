import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R3', projectPath('test', 'rules', 'R3-custom-dma-ops', 'cases'));
