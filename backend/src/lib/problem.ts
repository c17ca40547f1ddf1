import { Type } from 'typebox';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Shared response schema for every error; registered once with addSchema and referenced. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI naming the problem type: urn:homeport:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable, machine-readable error code' }),
    requestId: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'Field errors for validation failures; `field` is a JSON pointer',
      }),
    ),
  },
  { $id: 'Problem', title: 'Problem' },
);

export const ProblemRef = Type.Ref('Problem');

/** Responses every route can produce; spread into a route's `response` schema. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ProblemRef]));
}
