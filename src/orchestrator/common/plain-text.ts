import { ValidateBy, type ValidationArguments } from 'class-validator';

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// With the u flag a surrogate pair is one code point, so the class matches only unpaired halves.
const UNPAIRED_SURROGATE = /[\ud800-\udfff]/u;

/**
 * Rejects control characters (U+0000 to U+001F and U+007F) and unpaired
 * UTF-16 surrogates in free text such as titles, names and reasons.
 * PostgreSQL cannot store U+0000 in text, and evaluators reject exclusion
 * reasons with control characters, so such text would otherwise fail later,
 * far from the request that brought it. An unpaired surrogate (JSON allows
 * "\ud800") has no UTF-8 form, so the database would store U+FFFD in its
 * place and the text read back would differ from the text accepted. A value
 * that is not a string passes, so that only the field's type check reports it.
 */
export function IsPlainText(): PropertyDecorator {
  return ValidateBy({
    name: 'isPlainText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || plainTextProblem(value) === null,
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'text'} ${plainTextProblem(String(args?.value))}`,
    },
  });
}

function plainTextProblem(text: string): string | null {
  if (CONTROL_CHARACTER.test(text)) {
    return 'must not contain control characters such as NUL, tab or line breaks';
  }
  if (UNPAIRED_SURROGATE.test(text)) {
    return 'must not contain an unpaired UTF-16 surrogate (such as \\ud800 alone): send well-formed Unicode text';
  }
  return null;
}
