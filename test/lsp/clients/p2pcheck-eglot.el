;;; p2pcheck-eglot.el --- Eglot against `p2pcheck --lsp', in batch (test/lsp/emacs.test.ts runs it)  -*- lexical-binding: t -*-
;;   P2P_CMD='["node","dist/src/cli/main.js","--lsp"]' P2P_FILE=x.patch P2P_EXPECT=1 P2P_OUT=out.json \
;;     emacs --batch -q -l test/lsp/clients/p2pcheck-eglot.el
;; Opens the patch (diff-mode), connects Eglot as `M-x eglot' would, waits until Flymake holds the
;; server's diagnostics, asks for a hover on the first one, writes what Emacs holds as JSON, quits.
(require 'package)
(package-initialize)                    ; Debian's elpa-eglot lives in /usr/share/emacs/site-lisp/elpa
(require 'json)
(require 'eglot)

(defvar p2p-result (list (cons 'emacs emacs-version) (cons 'eglot (package-version-join (package-desc-version (cadr (assq 'eglot package-alist)))))))

(defun p2p-finish ()
  (with-temp-file (getenv "P2P_OUT") (insert (json-encode p2p-result)))
  (kill-emacs 0))

(condition-case err
    (let* ((command (append (json-read-from-string (getenv "P2P_CMD")) nil))
           (expected (string-to-number (or (getenv "P2P_EXPECT") "1")))
           (eglot-server-programs (list (cons '(diff-mode c-mode) command)))
           (eglot-sync-connect t)
           (flymake-no-changes-timeout 0.1)
           (start (float-time))
           diags)
      (find-file (getenv "P2P_FILE"))
      (push (cons 'mode (symbol-name major-mode)) p2p-result)
      (apply #'eglot (eglot--guess-contact))
      (push (cons 'server (plist-get (eglot--server-info (eglot-current-server)) :name)) p2p-result)
      (while (and (< (length diags) expected) (< (- (float-time) start) 30))
        (accept-process-output nil 0.05)
        (when (bound-and-true-p flymake-mode) (flymake-start))
        (setq diags (seq-filter (lambda (d) (string-prefix-p "p2pcheck" (flymake-diagnostic-text d))) (flymake-diagnostics))))
      (push (cons 'wait_ms (* 1000 (- (float-time) start))) p2p-result)
      (setq diags (sort diags (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))
      (push (cons 'diagnostics
                  (vconcat (mapcar (lambda (d)
                                     (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
                                       (list (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                                             (cons 'code (plist-get lsp :code))
                                             (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                             (cons 'text (flymake-diagnostic-text d)))))
                                   diags)))
            p2p-result)
      (when diags
        (let* ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data (car diags))))
               (start (plist-get (plist-get lsp :range) :start))
               (hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                       (list :textDocument (eglot--TextDocumentIdentifier)
                                             :position (list :line (plist-get start :line)
                                                             :character (1+ (plist-get start :character)))))))
          (push (cons 'hover (plist-get (plist-get hover :contents) :value)) p2p-result)))
      (eglot-shutdown (eglot-current-server)))
  (error (push (cons 'error (error-message-string err)) p2p-result)))
(p2p-finish)
