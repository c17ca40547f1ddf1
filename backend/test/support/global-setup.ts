import type { TestProject } from 'vitest/node';
import { prepareTemplate } from './database.js';
import {
  dockerAvailable,
  NO_SERVICES_MESSAGE,
  servicesFromEnv,
  startContainers,
  type TestServices,
} from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  let services = servicesFromEnv(process.env);
  let stop: (() => Promise<void>) | undefined;
  if (!services) {
    if (!dockerAvailable()) throw new Error(NO_SERVICES_MESSAGE);
    const started = await startContainers();
    services = started.services;
    stop = started.stop;
  }
  project.provide('services', services);
  project.provide('templateDatabase', await prepareTemplate(services.adminDatabaseUrl));
  return async () => {
    await stop?.();
  };
}
