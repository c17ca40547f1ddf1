import AjvCompiler, { type RouteDefinition } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Control characters (C0 but tab, line feed and carriage return; DEL; C1) and lone UTF-16
 * surrogates. Postgres refuses NUL in text, terminals and logs act on escapes, and a lone
 * surrogate is no character at all: no request string may carry them.
 */
const NOT_PLAIN_TEXT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isPlainText(value: string): boolean {
  return !NOT_PLAIN_TEXT.test(value);
}

/** Keywords added to every request schema by `withInputRules`; their messages are in validation-messages.ts. */
export const INPUT_KEYWORDS = {
  plainText: 'plainText',
  finiteNumber: 'finiteNumber',
} as const;

const keywords = [
  {
    keyword: INPUT_KEYWORDS.plainText,
    schemaType: 'boolean' as const,
    validate: (enabled: boolean, data: unknown) =>
      !enabled || typeof data !== 'string' || isPlainText(data),
  },
  {
    // No `type` on purpose: Ajv skips its number keywords (minimum, maximum) for non-finite
    // values, and query coercion turns "1e309" into Infinity without a type check.
    keyword: INPUT_KEYWORDS.finiteNumber,
    schemaType: 'boolean' as const,
    validate: (enabled: boolean, data: unknown) =>
      !enabled || typeof data !== 'number' || Number.isFinite(data),
  },
];

const BASE_OPTIONS = {
  removeAdditional: false,
  useDefaults: true,
  allErrors: true,
  keywords,
} as const;

// Keywords whose value is one subschema, or a list of them.
const SUBSCHEMA = new Set([
  'items',
  'prefixItems',
  'additionalItems',
  'additionalProperties',
  'contains',
  'anyOf',
  'oneOf',
  'allOf',
  'then',
  'else',
]);
// Keywords whose value maps names to subschemas. `not` and `if` are left alone on purpose: a
// rule added under them would invert.
const SUBSCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

function mapSchema(value: unknown): unknown {
  return Array.isArray(value) ? value.map(withInputRules) : withInputRules(value);
}

/**
 * A copy of a request schema in which every string refuses control characters and every number
 * must be finite, so no route can forget either; the route's own schema (and so the OpenAPI
 * document) is left as written. `format: binary` strings (file parts) are not text.
 */
export function withInputRules(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const source = schema as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (SUBSCHEMA.has(key)) copy[key] = mapSchema(value);
    else if (SUBSCHEMA_MAP.has(key) && value && typeof value === 'object') {
      copy[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, withInputRules(child)]),
      );
    } else copy[key] = value;
  }
  const types = [source.type].flat();
  if (types.includes('string') && source.format !== 'binary') copy[INPUT_KEYWORDS.plainText] = true;
  if (types.includes('integer') || types.includes('number')) {
    copy[INPUT_KEYWORDS.finiteNumber] = true;
  }
  return copy;
}

type ExternalSchemas = Parameters<ReturnType<typeof AjvCompiler>>[0];

function buildValidator(externalSchemas: ExternalSchemas, serverOptions?: { plugins?: [] }) {
  const plugins = serverOptions?.plugins ?? [];
  const shared = Object.fromEntries(
    Object.entries(externalSchemas).map(([id, schema]) => [id, withInputRules(schema)]),
  ) as ExternalSchemas;
  const exact = AjvCompiler()(shared, {
    customOptions: { ...BASE_OPTIONS, coerceTypes: false },
    plugins,
  });
  const coercing = AjvCompiler()(shared, {
    customOptions: { ...BASE_OPTIONS, coerceTypes: 'array' },
    plugins,
  });
  // Fastify calls the compiler with the route definition, not the bare schema its types name.
  return (route: RouteDefinition) => {
    const strict = { ...route, schema: withInputRules(route.schema) };
    return (route.httpPart === 'body' ? exact : coercing)(strict as never);
  };
}

/**
 * Query strings, params and headers arrive as text, so their validator coerces ("20" → 20);
 * JSON bodies are validated exactly as sent, so `{"name": 7}` is an error rather than "7".
 * Every schema also gets the input rules above (no control characters, finite numbers).
 */
export const schemaController = {
  compilersFactory: { buildValidator },
} as unknown as FastifyServerOptions['schemaController'];
