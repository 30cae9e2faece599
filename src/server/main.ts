import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

/**
 * The language server as its own program: the VS Code bundle (server.cjs), started by the extension
 * with --node-ipc, or `node dist/src/server/main.js --stdio`; createConnection reads the transport
 * from the command line. `p2pcheck --lsp` is the same server on standard input and output.
 */
startServer(createConnection(ProposedFeatures.all));
