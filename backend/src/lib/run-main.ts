import { ConfigError } from '../config.js';
import { AppError } from './errors.js';

/**
 * Runs a program's `main` and turns what it throws into an exit status (sysexits.h): a bad
 * setting 78 (EX_CONFIG) with every problem named, refused input 65 (EX_DATAERR) with the
 * fields at fault, anything else 1 with the error as thrown.
 */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    if (error instanceof AppError) {
      const fields = (error.extra.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ');
      console.error(`${error.message}${fields ? ` ${fields}` : ''}`);
      process.exit(65);
    }
    console.error(error);
    process.exit(1);
  });
}
