/**
 * The files an API edit list points at besides its source: concat `inputs` and audio `file` are
 * file ids there (numbers mean the source, index 0). Read defensively from the raw request, before
 * validation, so that an unknown id is a 404 naming the exact parameter.
 */
import type { EditIssue } from '@clipmix/engine';
import type { FieldError } from '../../platform/errors.js';

export interface FileReference {
  id: string;
  param: string;
  kinds: ReadonlyArray<'audio' | 'video'>;
  role: string;
}

export function referencedFiles(operations: unknown): FileReference[] {
  if (!Array.isArray(operations)) return [];
  const out: FileReference[] = [];
  operations.forEach((op, i) => {
    if (!op || typeof op !== 'object') return;
    const o = op as Record<string, unknown>;
    if (o.type === 'concat' && Array.isArray(o.inputs)) {
      o.inputs.forEach((v, j) => {
        if (typeof v === 'string') out.push({ id: v, param: `operations[${i}].inputs[${j}]`, kinds: ['video'], role: 'video' });
      });
    }
    if (o.type === 'audio' && typeof o.file === 'string') {
      out.push({ id: o.file, param: `operations[${i}].file`, kinds: ['audio', 'video'], role: 'audio' });
    }
  });
  return out;
}

/** `operations[3].end` for an engine issue (the API's problem `errors[].param`). */
export function issueParam(issue: EditIssue): string {
  const field = issue.field ?? '';
  if (field.startsWith('operations')) return field;
  if (issue.index === null) return field ? `operations.${field}` : 'operations';
  if (!field) return `operations[${issue.index}]`;
  return `operations[${issue.index}]${field.startsWith('[') ? '' : '.'}${field}`;
}

export function issuesToFieldErrors(issues: readonly EditIssue[]): FieldError[] {
  return issues.map((i) => ({ param: issueParam(i), message: i.message }));
}

/** One sentence for the problem `detail`: the first issues (the engine's messages name the operation). */
export function issuesDetail(issues: readonly EditIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => i.message);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  return `The edit list is invalid: ${shown.join('; ')}${more}.`;
}
