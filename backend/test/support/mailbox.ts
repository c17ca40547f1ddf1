import type { CapturedMessage } from './smtp-capture.js';

/** Reads mail from a Mailpit-compatible API (Mailpit, or the native capture server). */
export function createMailbox(apiUrl: string) {
  async function search(query: string): Promise<{ ID: string }[]> {
    const response = await fetch(`${apiUrl}/api/v1/search?query=${encodeURIComponent(query)}`);
    if (!response.ok) throw new Error(`mail API answered ${response.status}`);
    return ((await response.json()) as { messages: { ID: string }[] }).messages;
  }

  async function read(id: string): Promise<CapturedMessage> {
    const response = await fetch(`${apiUrl}/api/v1/message/${id}`);
    if (!response.ok) throw new Error(`mail API answered ${response.status}`);
    return (await response.json()) as CapturedMessage;
  }

  return {
    /** Every message to `address`, newest first. */
    async messagesTo(address: string): Promise<CapturedMessage[]> {
      return Promise.all((await search(`to:${address}`)).map((message) => read(message.ID)));
    },

    /** Waits for the `count`-th message to `address` (optionally with a subject containing text). */
    async waitFor(
      address: string,
      {
        subject,
        count = 1,
        timeoutMs = 15_000,
      }: { subject?: string; count?: number; timeoutMs?: number } = {},
    ): Promise<CapturedMessage> {
      const deadline = Date.now() + timeoutMs;
      const query = subject ? `to:${address} subject:${subject}` : `to:${address}`;
      while (Date.now() < deadline) {
        const found = await search(query);
        const message = found[found.length - count];
        if (found.length >= count && message) return read(message.ID);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(
        `no ${count > 1 ? `${count}th ` : ''}email to ${address}${subject ? ` about "${subject}"` : ''} within ${timeoutMs} ms`,
      );
    },
  };
}

export type Mailbox = ReturnType<typeof createMailbox>;
