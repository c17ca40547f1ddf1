import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, inject, vi } from 'vitest';
import { activateLocale } from '../src/lib/i18n';
import { sessionStore } from '../src/lib/session-store';
import { browser } from './browser-fetch';

// Pages wait on a real backend (argon2 hashing, SMTP delivery) on a shared machine.
configure({ asyncUtilTimeout: 10_000 });

// The API client reads its base URL at import time; point it at this run's real backend.
vi.stubEnv('VITE_API_BASE_URL', inject('apiBaseUrl'));

// Every test starts in English (jsdom's navigator.language); Korean tests switch first.
beforeEach(async () => {
  await activateLocale('en');
});

afterEach(() => {
  cleanup();
  // The next test starts as a new visitor: no cookies, no session in memory.
  browser.reset();
  sessionStore.reset();
});
