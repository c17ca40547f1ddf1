import nodemailer, { type Transporter } from 'nodemailer';

export type Mailer = Transporter;

/** nodemailer SMTP transport from SMTP_URL (smtp://user:pass@host:port or smtps://). */
export function createMailer(smtpUrl: string): Mailer {
  return nodemailer.createTransport(smtpUrl, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
