import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R13', projectPath('test', 'rules', 'R13-p2pmem-alloc-free-pairing', 'cases'));
