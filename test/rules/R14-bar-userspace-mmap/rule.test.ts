import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R14', projectPath('test', 'rules', 'R14-bar-userspace-mmap', 'cases'));
