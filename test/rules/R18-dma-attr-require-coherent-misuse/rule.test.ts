import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R18', projectPath('test', 'rules', 'R18-dma-attr-require-coherent-misuse', 'cases'));
