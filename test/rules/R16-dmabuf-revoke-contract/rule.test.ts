import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R16', projectPath('test', 'rules', 'R16-dmabuf-revoke-contract', 'cases'));
