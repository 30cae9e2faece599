import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R8', projectPath('test', 'rules', 'R8-dma-map-resource-peer-bar', 'cases'));
