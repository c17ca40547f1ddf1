import type { FastifySchemaValidationError } from 'fastify';
import type { FieldError } from './errors.js';
import type { Locale } from './i18n.js';
import { oneOfMessageKo, validationMessageKo } from './i18n-messages.js';
import { patternMessage } from './patterns.js';

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

const FORMAT_NAMES: Record<string, string> = {
  email: 'an email address',
  uuid: 'a UUID',
  'date-time': 'a date and time (ISO 8601)',
  date: 'a date (YYYY-MM-DD)',
  uri: 'a URL',
};

function plural(count: unknown, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function oneOf(values: readonly unknown[]): string {
  const names = values.map((value) => String(value));
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * Ajv writes for developers ("must NOT have fewer than 1 characters"); these fragments are for
 * the person who sees them next to a form field. Unknown keywords keep Ajv's own message.
 */
function describe(issue: FastifySchemaValidationError): string {
  const params = issue.params as Record<string, unknown>;
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field this request accepts';
    case 'type':
      return `must be ${TYPE_NAMES[String(params.type)] ?? params.type}`;
    case 'minLength':
      return params.limit === 1
        ? 'must not be empty'
        : `must be at least ${plural(params.limit, 'character')} long`;
    case 'maxLength':
      return `must be at most ${plural(params.limit, 'character')} long`;
    case 'minimum':
      return `must be at least ${params.limit}`;
    case 'maximum':
      return `must be at most ${params.limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${params.limit}`;
    case 'exclusiveMaximum':
      return `must be less than ${params.limit}`;
    case 'minItems':
      return `must have at least ${plural(params.limit, 'item')}`;
    case 'maxItems':
      return `must have at most ${plural(params.limit, 'item')}`;
    case 'uniqueItems':
      return 'must not list a value twice';
    case 'format':
      return `must be ${FORMAT_NAMES[String(params.format)] ?? `a valid ${params.format}`}`;
    case 'enum':
      return `must be one of: ${oneOf(params.allowedValues as unknown[])}`;
    case 'const':
      return `must be ${params.allowedValue}`;
    case 'pattern':
      return patternMessage(params.pattern);
    case 'plainText':
      return 'must not contain control characters';
    case 'finiteNumber':
      return 'must be a finite number';
    default:
      return issue.message ?? 'is not valid';
  }
}

/** The message in `locale` (lib/i18n-messages.ts), English where it has none. */
function describeIn(issue: FastifySchemaValidationError, locale: Locale): string {
  return (locale === 'ko' ? validationMessageKo(issue) : undefined) ?? describe(issue);
}

function pointerOf(issue: FastifySchemaValidationError, context: string): string {
  const params = issue.params as { missingProperty?: string; additionalProperty?: string };
  const base = `/${context}${issue.instancePath}`;
  const child = params.missingProperty ?? params.additionalProperty;
  return child === undefined ? base : `${base}/${child}`;
}

/**
 * One entry per problem a person can act on, each naming its field as a JSON pointer. A union
 * (TypeBox's anyOf) that fails reports every branch; those collapse into what the field may be:
 * "must be one of: admin, supervisor or member" for literals, else the failures of the branches
 * that are not `null` (a nullable field's real rule).
 */
export function validationFieldErrors(
  issues: readonly FastifySchemaValidationError[],
  context = 'body',
  locale: Locale = 'en',
): FieldError[] {
  const unions = new Set(
    issues.filter((issue) => issue.keyword === 'anyOf').map((issue) => issue.instancePath),
  );
  const errors = new Map<string, FieldError>();
  const add = (field: string, message: string) => {
    errors.set(`${field}\n${message}`, { field, message });
  };
  for (const issue of issues) {
    if (!unions.has(issue.instancePath)) {
      add(pointerOf(issue, context), describeIn(issue, locale));
      continue;
    }
    const branches = issues.filter(
      (other) => other.instancePath === issue.instancePath && other.keyword !== 'anyOf',
    );
    const params = issue.params as { type?: string };
    if (branches.length > 0 && branches.every((branch) => branch.keyword === 'const')) {
      const allowed = branches.map(
        (branch) => (branch.params as { allowedValue: unknown }).allowedValue,
      );
      add(
        `/${context}${issue.instancePath}`,
        locale === 'ko' ? oneOfMessageKo(allowed) : `must be one of: ${oneOf(allowed)}`,
      );
    } else if (branches.length === 0 || (issue.keyword !== 'anyOf' && params.type !== 'null')) {
      add(pointerOf(issue, context), describeIn(issue, locale));
    }
  }
  return [...errors.values()];
}
