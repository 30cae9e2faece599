import type * as vscode from 'vscode';

/** The documents the server checks: patches and mails (by language or name), kernel C files. */
export const DOCUMENTS: vscode.DocumentFilter[] = [
  { language: 'diff' }, { language: 'kernel-patch' },
  { scheme: 'file', pattern: '**/*.{patch,diff,eml,mbox,mbx,mail}' },
  { language: 'c', scheme: 'file', pattern: '**/*.{c,h}' }, { language: 'c', scheme: 'untitled' },
];
