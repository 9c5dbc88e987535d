import { Matches } from 'class-validator';

/**
 * Rejects control characters (U+0000 to U+001F and U+007F) in free text such
 * as titles, names and reasons. PostgreSQL cannot store U+0000 in text, and
 * evaluators reject exclusion reasons with control characters, so such text
 * would otherwise fail later, far from the request that brought it.
 */
export function IsPlainText(): PropertyDecorator {
  return Matches(/^[^\u0000-\u001f\u007f]*$/, {
    message: '$property must not contain control characters such as NUL, tab or line breaks',
  });
}
