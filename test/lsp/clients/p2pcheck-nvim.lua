-- Neovim's built-in LSP client against `p2pcheck --lsp`, headless (test/lsp/neovim.test.ts runs it):
--   P2P_CMD='["node","dist/src/cli/main.js","--lsp"]' P2P_FILE=x.patch P2P_EXPECT=2 P2P_OUT=out.json \
--     nvim --headless --clean -u NONE -i NONE -n -c 'luafile test/lsp/clients/p2pcheck-nvim.lua'
-- Opens the file, starts the server with vim.lsp.start (vim.lsp.start_client on Neovim 0.7, which
-- has no vim.lsp.start), waits for the diagnostics, asks for a hover and the code actions on the
-- first one, writes what Neovim holds as JSON, and quits.
local out = os.getenv('P2P_OUT')
local result = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  local cmd = vim.fn.json_decode(os.getenv('P2P_CMD'))
  local expected = tonumber(os.getenv('P2P_EXPECT') or '1')
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('P2P_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  local config = {
    name = 'p2pcheck', cmd = cmd, root_dir = vim.fn.getcwd(),
    settings = { p2pcheck = { kernelVersion = 'auto' } },
  }
  local id
  if vim.lsp.start then
    result.started_with = 'vim.lsp.start'
    id = vim.lsp.start(config)
  else
    result.started_with = 'vim.lsp.start_client'
    id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, id)
  end
  local started = vim.loop.hrtime()
  result.got_all = vim.wait(30000, function() return #vim.diagnostic.get(buf) >= expected end, 20)
  result.wait_ms = (vim.loop.hrtime() - started) / 1e6
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      line = d.lnum + 1, col = d.col, end_col = d.end_col, severity = d.severity, source = d.source,
      code = d.code or lsp.code, message = d.message,
    })
  end
  local first = vim.diagnostic.get(buf)[1]
  if first then
    local uri = vim.uri_from_bufnr(buf)
    local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
      { textDocument = { uri = uri }, position = { line = first.lnum, character = first.col + 1 } }, 10000)
    for _, r in pairs(hover or {}) do
      if r.result and r.result.contents then result.hover = r.result.contents.value or r.result.contents end
    end
    local range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.lnum, character = first.end_col } }
    local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction',
      { textDocument = { uri = uri }, range = range, context = { diagnostics = {} } }, 10000)
    result.code_actions = {}
    for _, r in pairs(actions or {}) do
      for _, a in ipairs(r.result or {}) do table.insert(result.code_actions, a.title) end
    end
  end
  vim.lsp.stop_client(id)
end)
if not ok then result.error = tostring(err) end
finish()
