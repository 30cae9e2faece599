import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R17', projectPath('test', 'rules', 'R17-dmabuf-direct-map-call', 'cases'));
