import type { FastifyBaseLogger } from 'fastify';

/**
 * Work that must not show in an answer's timing (what only a real account costs), started at
 * once and finished just after the answer. `idle()` waits for it (shutdown, tests). Its writes
 * are durable once their transaction commits, milliseconds after the answer; a crash in between
 * loses that one request, which the person repeats like a lost email.
 */
export function createBackground(log: FastifyBaseLogger) {
  const running = new Set<Promise<void>>();
  return {
    run(what: string, work: () => Promise<void>): void {
      const task: Promise<void> = work()
        .catch((err: unknown) => log.error({ err }, `${what} failed`))
        .finally(() => running.delete(task));
      running.add(task);
    },
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

export type Background = ReturnType<typeof createBackground>;
