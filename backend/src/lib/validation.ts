import AjvCompiler, { type RouteDefinition } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

const BASE_OPTIONS = { removeAdditional: false, useDefaults: true, allErrors: true } as const;

type ExternalSchemas = Parameters<ReturnType<typeof AjvCompiler>>[0];

function buildValidator(externalSchemas: ExternalSchemas, serverOptions?: { plugins?: [] }) {
  const plugins = serverOptions?.plugins ?? [];
  const exact = AjvCompiler()(externalSchemas, {
    customOptions: { ...BASE_OPTIONS, coerceTypes: false },
    plugins,
  });
  const coercing = AjvCompiler()(externalSchemas, {
    customOptions: { ...BASE_OPTIONS, coerceTypes: 'array' },
    plugins,
  });
  // Fastify calls the compiler with the route definition, not the bare schema its types name.
  return (route: RouteDefinition) => (route.httpPart === 'body' ? exact : coercing)(route as never);
}

/**
 * Query strings, params and headers arrive as text, so their validator coerces ("20" → 20);
 * JSON bodies are validated exactly as sent, so `{"name": 7}` is an error rather than "7".
 */
export const schemaController = {
  compilersFactory: { buildValidator },
} as unknown as FastifyServerOptions['schemaController'];
