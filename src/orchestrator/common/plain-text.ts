import { Matches } from 'class-validator';

/**
 * Rejects control characters (U+0000 to U+001F and U+007F) and unpaired
 * UTF-16 surrogates in free text such as titles, names and reasons.
 * PostgreSQL cannot store U+0000 in text, and evaluators reject exclusion
 * reasons with control characters, so such text would otherwise fail later,
 * far from the request that brought it. An unpaired surrogate (JSON allows
 * "\ud800") has no UTF-8 form, so the database would store U+FFFD in its
 * place and the text read back would differ from the text accepted.
 */
export function IsPlainText(): PropertyDecorator {
  const noControls = Matches(/^[^\u0000-\u001f\u007f]*$/, {
    message: '$property must not contain control characters such as NUL, tab or line breaks',
  });
  // With the u flag a surrogate pair is one code point, so the class matches only unpaired halves.
  const wellFormed = Matches(/^[^\ud800-\udfff]*$/u, {
    message: '$property must not contain an unpaired UTF-16 surrogate (such as \\ud800 alone): send well-formed Unicode text',
  });
  return (target, property) => {
    noControls(target, property);
    wellFormed(target, property);
  };
}
