import { startSmtpCapture } from './smtp-capture.js';

// Usage: tsx test/support/smtp-capture-cli.ts <smtp-port> <http-port>
const [smtpPort = '1025', httpPort = '8025'] = process.argv.slice(2);
const capture = await startSmtpCapture({ smtpPort: Number(smtpPort), httpPort: Number(httpPort) });
console.log(
  `smtp capture: SMTP on 127.0.0.1:${capture.smtpPort}, API on http://127.0.0.1:${capture.httpPort}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void capture.close().then(() => process.exit(0)));
}
