import { startSmtpCapture } from './smtp-capture.ts';

const capture = await startSmtpCapture({ smtpPort: 1025, httpPort: 8025, host: '0.0.0.0' });
console.log(`mail stand-in: SMTP on :${capture.smtpPort}, API on :${capture.httpPort}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void capture.close().then(() => process.exit(0)));
}
