import type { Patch } from '../input/patch-model.js';
import type { Note } from '../engine/lint.js';
import type { Finding, Repair } from '../rules/rule.js';

export interface InputProblem {
  input: string;
  message: string;
}

/** Everything a run produced, as the formats render it. */
export interface Report {
  findings: Finding[];
  repairs: Repair[];
  problems: InputProblem[];
  /** The patches read (kept for the formats that quote them, like review replies). */
  patches: Patch[];
  /** Where the tree context could not be used (a patch that does not apply). */
  notes: Note[];
}
