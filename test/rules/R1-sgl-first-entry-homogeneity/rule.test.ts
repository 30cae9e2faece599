import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R1', projectPath('test', 'rules', 'R1-sgl-first-entry-homogeneity', 'cases'));
