import type * as z from 'zod/mini';

const UNITS: Record<string, string> = { string: 'characters', array: 'items' };
const quoted = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));
const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isNaN(value) ? 'NaN' : typeof value);

/**
 * English for the issues the state's and goals' schemas raise, worded as zod's own English locale words them: an
 * author whose `goal` attribute is wrong reads "Too small: expected string to have >=1 characters", not zod mini's
 * bare "Invalid input". Ours, not `zod/locales`' `en`: that one words every format zod knows (emails, UUIDs, IBANs…),
 * a kilobyte of the embed's 200 KB for what these schemas never check. Anything else is "Invalid input".
 */
export const englishIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${typeOf(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${quoted(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(quoted).join('|')}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const adj = issue.exact ? 'exactly ' : `${small ? '>' : '<'}${issue.inclusive ? '=' : ''}`;
      const unit = UNITS[issue.origin];
      return `Too ${small ? 'small' : 'big'}: expected ${issue.origin} to ${unit ? 'have' : 'be'} ${adj}${String(bound)}${unit ? ` ${unit}` : ''}`;
    }
    case 'invalid_format':
      return issue.format === 'starts_with'
        ? `Invalid string: must start with "${(issue as { prefix?: string }).prefix}"`
        : `Invalid string: must match pattern ${String(issue.pattern)}`;
    case 'invalid_union': {
      // A discriminated union names the values its discriminator takes (zod's types leave `options` out).
      const options = (issue as { options?: unknown[] }).options;
      return options?.length
        ? `Invalid discriminator value. Expected ${options.map((o) => `'${String(o)}'`).join(' | ')}`
        : issue.inclusive === false
          ? 'Invalid input: more than one option matched'
          : 'Invalid input';
    }
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map(quoted).join(', ')}`;
    default:
      return 'Invalid input';
  }
};
