import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordHeartbeat, tickOf } from '../src/jobs/heartbeat.js';
import { createSignedInUser, type SignedInUser } from './support/auth.js';
import { setupTestContext } from './support/context.js';

/**
 * Bad input against EVERY operation of the OpenAPI document built from the app: huge, negative
 * and non-finite numbers, NUL and control characters, over-long strings and ids, `%ff` and
 * over-long paths, wrong types, unknown fields, malformed JSON and malformed multipart bodies,
 * anonymously and signed in. No answer may be a 5xx, and every error must be problem+json with
 * a `code`. The cases are fixed (no randomness), so a failure reproduces exactly.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  default?: unknown;
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Case {
  label: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

const ctx = setupTestContext();
const WEBHOOK_SECRET = 'fuzz-webhook-secret-0123456789';
let app: FastifyInstance;
let doc: OpenApi;
let member: SignedInUser;
let admin: SignedInUser;

beforeAll(async () => {
  // A live worker, so /api/ready answers 200 and any 5xx it gives is the input's doing.
  await recordHeartbeat(ctx.deps.db, 'fuzz-worker', tickOf(new Date()));
  app = await ctx.buildApp({
    // Webhooks on, so their routes meet the bad input (off, they answer 503 by design).
    WEBHOOKS_ENCRYPTION_KEY: 'fuzz-webhooks-encryption-key-0123456789abcdef',
    AUTH_AUTO_VERIFY: 'true',
    STORAGE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    MAIL_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  doc = response.json();
  member = await createSignedInUser(app, ctx);
  admin = await createSignedInUser(app, ctx, { roles: ['admin'] });
});

function deref(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  return deref(doc.components?.schemas?.[name] ?? {});
}

function typeOf(schema: Schema): string | undefined {
  const resolved = deref(schema);
  if (Array.isArray(resolved.type)) return resolved.type.find((type) => type !== 'null');
  if (resolved.type) return resolved.type;
  const branch = resolved.anyOf ?? resolved.oneOf;
  if (branch) return typeOf(branch.find((item) => deref(item).type !== 'null') ?? {});
  if (resolved.const !== undefined) return typeof resolved.const;
  return undefined;
}

const STRING_CANDIDATES = [
  'abc',
  'fuzz@example.test',
  '123456',
  'image/png',
  'password.changed',
  'arn:aws:sns:eu-west-1:1:topic',
  'a.png',
];

/** A value the schema accepts, so that one bad field at a time reaches the code behind it. */
function sample(input: Schema): unknown {
  const schema = deref(input);
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return sample(branches.find((item) => deref(item).type !== 'null') ?? {});
  switch (typeOf(schema)) {
    case 'string': {
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'email') return 'fuzz@example.test';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
      const fits = (value: string) =>
        (!pattern || pattern.test(value)) &&
        value.length >= (schema.minLength ?? 0) &&
        value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
      const padded = 'a'.repeat(Math.max(3, schema.minLength ?? 0));
      return [...STRING_CANDIDATES, padded].find(fits) ?? padded;
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}));
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        value[name] = sample(schema.properties?.[name] ?? {});
      }
      return value;
    }
    default:
      return 'abc';
  }
}

// Raw text for path segments and query values (already percent-encoded where it matters).
const BAD_PATH_VALUES = [
  '%ff',
  '%00',
  'a%00b',
  '%07',
  '%c0%af',
  'x'.repeat(101),
  'x'.repeat(3000),
  '1e309',
  '-1',
  '%2e%2e',
  '..%2Fauth',
];
const BAD_QUERY_VALUES = [
  '1e309',
  '-1e309',
  'Infinity',
  'NaN',
  '-1',
  '0',
  '1.5',
  '99999999999999999999999',
  '0x10',
  '',
  '%00',
  'a%00b',
  '%07',
  '%1b%5b31m',
  '%ff',
  'x'.repeat(3000),
];
// JSON texts of values for one body field.
const BAD_JSON_VALUES = [
  '"\\u0000"',
  '"a\\u0000b"',
  '"a\\u0007b"',
  '"\\u001b[31m"',
  '"\\ud800"',
  `"${'x'.repeat(100_000)}"`,
  '1e309',
  '-1e309',
  '-1',
  '1.5',
  '9007199254740993',
  '"7"',
  'null',
  'true',
  '[]',
  '{}',
  '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]',
];
const MALFORMED_BODIES = [
  '{',
  '{"a":',
  '[',
  '"',
  '{"a":1,}',
  "{'a':1}",
  '\u0000',
  '{"__proto__":{"x":1}}',
];

const BOUNDARY = 'fuzzboundary';
const CRLF = '\r\n';
const MALFORMED_MULTIPART: { label: string; contentType: string; body: string }[] = [
  { label: 'no boundary', contentType: 'multipart/form-data', body: 'whatever' },
  {
    label: 'empty boundary',
    contentType: 'multipart/form-data; boundary=',
    body: `--${CRLF}${CRLF}`,
  },
  {
    label: 'boundary never appears',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: 'not a multipart body at all',
  },
  {
    label: 'truncated part',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="purpose"${CRLF}${CRLF}attach`,
  },
  {
    label: 'truncated file',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body:
      `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="purpose"${CRLF}${CRLF}attachment${CRLF}` +
      `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="file"; filename="a.txt"${CRLF}` +
      `Content-Type: text/plain${CRLF}${CRLF}hello`,
  },
  {
    label: 'malformed part header',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}${CRLF}this is no header${CRLF}${CRLF}x${CRLF}--${BOUNDARY}--${CRLF}`,
  },
  {
    label: 'part without a name',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}${CRLF}Content-Disposition: form-data${CRLF}${CRLF}x${CRLF}--${BOUNDARY}--${CRLF}`,
  },
  {
    label: 'huge part header',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}${CRLF}X-Pad: ${'a'.repeat(100_000)}${CRLF}${CRLF}x${CRLF}--${BOUNDARY}--${CRLF}`,
  },
  {
    label: 'too many fields',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `${Array.from(
      { length: 30 },
      (_, index) =>
        `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="f${index}"${CRLF}${CRLF}v${CRLF}`,
    ).join('')}--${BOUNDARY}--${CRLF}`,
  },
  {
    label: 'over-long field',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="purpose"${CRLF}${CRLF}${'a'.repeat(5000)}${CRLF}--${BOUNDARY}--${CRLF}`,
  },
  {
    label: 'NUL in the purpose',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="purpose"${CRLF}${CRLF}avatar\u0000${CRLF}--${BOUNDARY}--${CRLF}`,
  },
  {
    label: 'NUL in the file name',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body:
      `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="purpose"${CRLF}${CRLF}attachment${CRLF}` +
      `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="file"; filename="a\u0000.txt"${CRLF}` +
      `Content-Type: text/plain${CRLF}${CRLF}hello${CRLF}--${BOUNDARY}--${CRLF}`,
  },
  {
    label: 'unknown charset',
    contentType: `multipart/form-data; boundary=${BOUNDARY}; charset=x-unknown`,
    body: `--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="purpose"${CRLF}${CRLF}avatar${CRLF}--${BOUNDARY}--${CRLF}`,
  },
];

function pathOf(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'abc');
}

function queryOf(values: Record<string, string>): string {
  const pairs = Object.entries(values).map(([name, value]) => `${name}=${value}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

function casesFor(template: string, method: string, operation: Operation): Case[] {
  const upper = method.toUpperCase();
  const parameters = operation.parameters ?? [];
  const pathParams = parameters.filter((parameter) => parameter.in === 'path');
  const queryParams = parameters.filter((parameter) => parameter.in === 'query');
  const validPath: Record<string, string> = Object.fromEntries(
    pathParams.map((parameter) => [
      parameter.name,
      encodeURIComponent(String(sample(parameter.schema))),
    ]),
  );
  const validQuery: Record<string, string> = Object.fromEntries(
    queryParams
      .filter((parameter) => parameter.required)
      .map((parameter) => [parameter.name, encodeURIComponent(String(sample(parameter.schema)))]),
  );
  const content = operation.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema;
  const multipart = 'multipart/form-data' in content;
  const validBody = jsonSchema ? JSON.stringify(sample(jsonSchema)) : undefined;
  const jsonHeaders = { 'content-type': 'application/json' };
  const base = (label: string, overrides: Partial<Case> = {}): Case => ({
    label,
    method: upper,
    url: pathOf(template, validPath) + queryOf(validQuery),
    ...(validBody !== undefined ? { headers: jsonHeaders, payload: validBody } : {}),
    ...overrides,
  });

  const cases: Case[] = [];
  for (const parameter of pathParams) {
    for (const value of BAD_PATH_VALUES) {
      cases.push(
        base(`path ${parameter.name}=${value.slice(0, 20)}`, {
          url: pathOf(template, { ...validPath, [parameter.name]: value }) + queryOf(validQuery),
        }),
      );
    }
  }
  for (const parameter of queryParams) {
    for (const value of BAD_QUERY_VALUES) {
      cases.push(
        base(`query ${parameter.name}=${value.slice(0, 20)}`, {
          url: pathOf(template, validPath) + queryOf({ ...validQuery, [parameter.name]: value }),
        }),
      );
    }
    cases.push(
      base(`query ${parameter.name} twice`, {
        url: `${pathOf(template, validPath)}?${parameter.name}=1&${parameter.name}=2`,
      }),
    );
  }
  // Bad credentials and headers: they replace the caller's own (see `run`).
  const headerCases: [string, Record<string, string>][] = [
    ['over-long bearer token', { authorization: `Bearer ${'x'.repeat(8000)}` }],
    ['malformed bearer token', { authorization: 'Bearer a.b.c' }],
    ['bearer without a token', { authorization: 'Bearer' }],
    ['basic credentials', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['lower-case scheme, junk token', { authorization: 'bearer %ff%00' }],
    ['junk refresh cookie', { cookie: `hp_refresh=%ff%00; other=${'x'.repeat(4000)}` }],
    ['junk forwarded address', { 'x-forwarded-for': 'garbage, 999.999.1.1, ::ffff:zz' }],
    ['over-long request id', { 'x-request-id': 'r'.repeat(5000) }],
  ];
  for (const [label, headers] of headerCases) {
    cases.push(base(`header: ${label}`, { headers: { ...base('').headers, ...headers } }));
  }
  const path = pathOf(template, validPath);
  for (const other of ['OPTIONS', 'TRACE', 'PROPFIND']) {
    if (other !== upper) cases.push(base(`method ${other}`, { method: other }));
  }
  cases.push(base('over-long path', { url: `${path}/${'a'.repeat(5000)}` }));
  cases.push(base('%ff segment', { url: `${path}/%ff` }));
  cases.push(base('NUL segment', { url: `${path}%00` }));

  if (jsonSchema) {
    const schema = deref(jsonSchema);
    const valid = sample(jsonSchema);
    const object =
      valid && typeof valid === 'object' && !Array.isArray(valid)
        ? (valid as Record<string, unknown>)
        : undefined;
    const properties = Object.keys(schema.properties ?? {});
    for (const name of properties) {
      for (const value of BAD_JSON_VALUES) {
        const rest = JSON.stringify({ ...object, [name]: undefined });
        const body = `${rest.slice(0, -1)}${rest.length > 2 ? ',' : ''}${JSON.stringify(name)}:${value}}`;
        cases.push(base(`body ${name}=${value.slice(0, 20)}`, { payload: body }));
      }
    }
    if (object) {
      cases.push(base('unknown field', { payload: JSON.stringify({ ...object, zzUnknown: 1 }) }));
    }
    for (const body of ['{}', '[]', 'null', '"text"', '7', JSON.stringify('x'.repeat(10_000))]) {
      cases.push(base(`body ${body.slice(0, 20)}`, { payload: body }));
    }
    cases.push(base('body as text/plain', { headers: { 'content-type': 'text/plain' } }));
    cases.push(
      base('body in an unknown charset', {
        headers: { 'content-type': 'application/json; charset=x-unknown' },
      }),
    );
    cases.push(base('empty JSON body', { payload: '' }));
  }
  if (multipart) {
    for (const { label, contentType, body } of MALFORMED_MULTIPART) {
      cases.push(
        base(`multipart: ${label}`, { headers: { 'content-type': contentType }, payload: body }),
      );
    }
  }
  // Syntactically broken JSON goes to every route that could take a body: the parser answers.
  if (upper !== 'GET' && upper !== 'HEAD') {
    for (const body of MALFORMED_BODIES) {
      cases.push(
        base(`malformed JSON ${body.slice(0, 12)}`, { headers: jsonHeaders, payload: body }),
      );
    }
  }
  return cases;
}

/**
 * The OAuth token endpoint answers in RFC 6749 §5.2's format (docs/auth.md), not problem+json;
 * what never reaches it (another method, a longer path, a malformed URL) stays problem+json.
 */
const OAUTH_OPERATIONS = new Set(['oauthToken']);

function checkOAuth(response: LightMyRequestResponse): string | undefined {
  const type = String(response.headers['content-type'] ?? '');
  if (type.startsWith('application/problem+json')) return checkProblem(response);
  if (!type.startsWith('application/json')) return 'not OAuth JSON';
  try {
    const error = (response.json() as { error?: unknown }).error;
    return typeof error === 'string' && error.length > 0 ? undefined : 'no OAuth error';
  } catch {
    return 'unparsable body';
  }
}

/**
 * Pages opened from an email without signing in (the unsubscribe link) answer a bad link with an
 * HTML page for people; a malformed request to them is still problem+json with a code.
 */
/** Server-sent event streams: fuzzed anonymously only (see `run`). */
const STREAM_OPERATIONS = new Set(['streamBoardEvents', 'streamMyEvents']);

const HTML_PAGE_OPERATIONS = new Set(['describeUnsubscribe', 'unsubscribe']);

function checkHtmlPage(response: LightMyRequestResponse): string | undefined {
  const type = String(response.headers['content-type'] ?? '');
  if (type.startsWith('text/html')) return response.body.includes('<html') ? undefined : 'no page';
  return checkProblem(response);
}

function check(response: LightMyRequestResponse, operationId?: string): string | undefined {
  if (response.statusCode >= 500) return 'server error';
  if (response.statusCode < 400) return undefined;
  if (operationId && OAUTH_OPERATIONS.has(operationId)) return checkOAuth(response);
  if (operationId && HTML_PAGE_OPERATIONS.has(operationId)) return checkHtmlPage(response);
  return checkProblem(response);
}

function checkProblem(response: LightMyRequestResponse): string | undefined {
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return 'not problem+json';
  try {
    const code = (response.json() as { code?: unknown }).code;
    return typeof code === 'string' && code.length > 0 ? undefined : 'no code';
  } catch {
    return 'unparsable body';
  }
}

async function stillSignedIn(user: SignedInUser): Promise<boolean> {
  const response = await app.inject({ method: 'GET', url: '/api/users/me', headers: user.headers });
  return response.statusCode === 200;
}

async function run(who: 'anonymous' | 'signed in'): Promise<{ failures: string[]; count: number }> {
  const failures: string[] = [];
  let count = 0;
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      // A signed-in request that passes validation opens an event stream, which never ends (an
      // injected request waits for the end); live.test.ts covers those routes' refusals.
      if (who === 'signed in' && STREAM_OPERATIONS.has(operation.operationId)) continue;
      let user: SignedInUser | undefined;
      let auth: Record<string, string> = {};
      if (who === 'signed in') {
        const webhook = !operation.security?.some((scheme) => 'bearerAuth' in scheme);
        user = template.startsWith('/api/admin/') ? admin : member;
        auth = webhook
          ? { authorization: `Bearer ${WEBHOOK_SECRET}`, 'x-mail-webhook-secret': WEBHOOK_SECRET }
          : user.headers;
      }
      for (const testCase of casesFor(template, method, operation)) {
        count++;
        const options: InjectOptions = {
          method: testCase.method as InjectOptions['method'],
          url: testCase.url,
          // A case's own credentials replace the caller's.
          headers: { ...auth, ...testCase.headers },
          ...(testCase.payload !== undefined ? { payload: testCase.payload } : {}),
        };
        const response = await app.inject(options);
        const problem = check(response, operation.operationId);
        if (problem) {
          failures.push(
            `${operation.operationId} | ${testCase.label} | ${problem}: ${response.statusCode} ` +
              `${response.headers['content-type'] ?? ''} ${response.body.slice(0, 160)}`,
          );
        }
      }
      // A case that happened to end the session (none should) must not hide the rest.
      if (user && !(await stillSignedIn(user))) {
        const fresh = await createSignedInUser(
          app,
          ctx,
          user === admin ? { roles: ['admin'] } : {},
        );
        if (user === admin) admin = fresh;
        else member = fresh;
      }
    }
  }
  return { failures, count };
}

describe('fuzz: bad input on every operation of the OpenAPI document', () => {
  it('covers the document', () => {
    const operations = Object.values(doc.paths).flatMap((operations) => Object.keys(operations));
    expect(operations.length).toBeGreaterThan(30);
  });

  for (const who of ['anonymous', 'signed in'] as const) {
    it(`never answers 5xx or a non-problem error (${who})`, { timeout: 300_000 }, async () => {
      const { failures, count } = await run(who);
      expect(count).toBeGreaterThan(1000);
      expect(failures).toEqual([]);
    });
  }
});
