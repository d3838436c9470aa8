import type { EditIssue } from '@clipmix/engine';
import { unprocessable, type DomainError } from '../../platform/errors.js';
import { issuesDetail, issuesToFieldErrors } from './references.js';

/** Test-mode (`sk_test_`) edits: outputs at most 480 px high, with a "TEST" mark. */
export const TEST_MODE_MAX_HEIGHT = 480;
export const TEST_MODE_WATERMARK = 'TEST';

/** 422 `invalid_operations` with one `errors[]` entry per issue, each naming its operation. */
export function invalidOperations(issues: readonly EditIssue[]): DomainError {
  return unprocessable('invalid_operations', issuesDetail(issues), issuesToFieldErrors(issues));
}
