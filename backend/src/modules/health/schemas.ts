import { Type } from 'typebox';

export const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  uptimeSeconds: Type.Number(),
});

const CheckSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
});

const WorkerCheckSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  lastBeatAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  ageSeconds: Type.Union([Type.Number(), Type.Null()]),
  error: Type.Optional(Type.String()),
});

export const ChecksSchema = Type.Object({
  database: CheckSchema,
  storage: CheckSchema,
  smtp: CheckSchema,
  worker: WorkerCheckSchema,
});

export const ReadySchema = Type.Object({ status: Type.Literal('ready'), checks: ChecksSchema });

export const NotReadySchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  requestId: Type.String(),
  instance: Type.Optional(Type.String()),
  checks: ChecksSchema,
});
