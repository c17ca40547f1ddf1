/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the API when it is not the SPA's own (tests); empty in the browser. */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

/** The compiled messages of one language (see scripts/catalogue-plugin.ts). */
declare module 'virtual:catalogue/*' {
  import type { Messages } from '@lingui/core';

  const messages: Messages;
  export default messages;
}
