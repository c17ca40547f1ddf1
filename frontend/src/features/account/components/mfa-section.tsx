import { toDataURL } from 'qrcode';
import { useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import {
  useActivateTotp,
  useDisableMfa,
  useEnrolTotp,
  useMfaStatus,
  useRegenerateRecoveryCodes,
} from '../api/mfa';

/** Shown once: copy to the clipboard or download as a text file. */
function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const text = `${codes.join('\n')}\n`;
  return (
    <Alert tone="success" title={t('account.mfa.codesTitle')}>
      <p>{t('account.mfa.codesHint')}</p>
      <ul aria-label={t('account.mfa.codesTitle')} className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="form__actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(() => setCopied(true));
          }}
        >
          {copied ? t('account.mfa.copied') : t('account.mfa.copy')}
        </button>
        <a
          className="button"
          download="homeport-recovery-codes.txt"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
        >
          {t('account.mfa.download')}
        </a>
      </div>
    </Alert>
  );
}

function EnrolForm({ onCodes }: { onCodes(codes: string[]): void }) {
  const t = useT();
  const enrol = useEnrolTotp();
  const activate = useActivateTotp();
  const [pending, setPending] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const start = useFieldForm({ password: '' });
  const finish = useFieldForm({ code: '' });

  useEffect(() => {
    if (!pending) return;
    let current = true;
    void toDataURL(pending.otpauthUri, { margin: 1, width: 200 }).then((url) => {
      if (current) setQr(url);
    });
    return () => {
      current = false;
    };
  }, [pending]);

  const onStart = start.handleSubmit(
    () => ({
      password: start.values.password ? undefined : t('account.password.currentRequired'),
    }),
    async () => {
      setPending(await enrol.mutateAsync({ password: start.values.password }));
      start.setValues({ password: '' });
    },
  );
  const onFinish = finish.handleSubmit(
    () => ({
      code: /^\d{6}$/.test(finish.values.code) ? undefined : t('account.mfa.check.code'),
    }),
    async () => {
      const { recoveryCodes } = await activate.mutateAsync({ code: finish.values.code });
      onCodes(recoveryCodes);
    },
  );

  if (!pending) {
    return (
      <ApiForm form={start} onSubmit={onStart} errorTitle={t('account.mfa.failed')}>
        <p className="muted">{t('account.mfa.offHint')}</p>
        <FormField
          label={t('account.mfa.password')}
          type="password"
          autoComplete="current-password"
          {...start.field('password')}
          required
        />
        <div className="form__actions">
          <SubmitButton busy={start.busy} busyLabel={t('account.saving')}>
            {t('account.mfa.start')}
          </SubmitButton>
        </div>
      </ApiForm>
    );
  }
  return (
    <ApiForm form={finish} onSubmit={onFinish} errorTitle={t('account.mfa.failed')}>
      <p>{t('account.mfa.scan')}</p>
      {qr ? <img src={qr} alt={t('account.mfa.qrAlt')} width={200} height={200} /> : null}
      <p className="muted">
        {t('account.mfa.manual')} <code className="break-anywhere">{pending.secret}</code>
      </p>
      <FormField
        label={t('account.mfa.code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        className="field--narrow"
        {...finish.field('code', (value) => value.replace(/\s/g, ''))}
        required
      />
      <div className="form__actions">
        <SubmitButton busy={finish.busy} busyLabel={t('account.saving')}>
          {t('account.mfa.activate')}
        </SubmitButton>
      </div>
    </ApiForm>
  );
}

function ManageForms({ onCodes }: { onCodes(codes: string[]): void }) {
  const t = useT();
  const regenerate = useRegenerateRecoveryCodes();
  const disable = useDisableMfa();
  const fresh = useFieldForm({ password: '' });
  const off = useFieldForm({ password: '', code: '' });
  const passwordCheck = (value: string) =>
    value ? undefined : t('account.password.currentRequired');

  const onRegenerate = fresh.handleSubmit(
    () => ({ password: passwordCheck(fresh.values.password) }),
    async () => {
      const { recoveryCodes } = await regenerate.mutateAsync({ password: fresh.values.password });
      fresh.setValues({ password: '' });
      onCodes(recoveryCodes);
    },
  );
  const onDisable = off.handleSubmit(
    () => ({
      password: passwordCheck(off.values.password),
      code: off.values.code.trim().length >= 6 ? undefined : t('account.mfa.check.code'),
    }),
    async () => {
      await disable.mutateAsync({ password: off.values.password, code: off.values.code.trim() });
      off.setValues({ password: '', code: '' });
      onCodes([]);
    },
  );

  return (
    <>
      <ApiForm form={fresh} onSubmit={onRegenerate} errorTitle={t('account.mfa.failed')}>
        <h3>{t('account.mfa.regenerateTitle')}</h3>
        <FormField
          label={t('account.mfa.password')}
          type="password"
          autoComplete="current-password"
          {...fresh.field('password')}
          required
        />
        <div className="form__actions">
          <SubmitButton busy={fresh.busy} busyLabel={t('account.saving')}>
            {t('account.mfa.regenerate')}
          </SubmitButton>
        </div>
      </ApiForm>
      <ApiForm form={off} onSubmit={onDisable} errorTitle={t('account.mfa.failed')}>
        <h3>{t('account.mfa.disableTitle')}</h3>
        <FormField
          label={t('account.mfa.password')}
          type="password"
          autoComplete="current-password"
          {...off.field('password')}
          required
        />
        <FormField
          label={t('account.mfa.codeOrRecovery')}
          autoComplete="one-time-code"
          maxLength={40}
          {...off.field('code')}
          required
        />
        <div className="form__actions">
          <SubmitButton busy={off.busy} busyLabel={t('account.saving')}>
            {t('account.mfa.disable')}
          </SubmitButton>
        </div>
      </ApiForm>
    </>
  );
}

/** Two-step sign-in: set up an authenticator app, new recovery codes, turn it off. */
export function MfaSection() {
  const t = useT();
  const status = useMfaStatus();
  const [codes, setCodes] = useState<string[]>([]);
  if (status.isPending) return <p className="muted">{t('account.mfa.loading')}</p>;
  if (status.isError) return <Alert tone="error">{status.error.message}</Alert>;
  if (!status.data.available) return <p className="muted">{t('account.mfa.unavailable')}</p>;
  return (
    <>
      {codes.length > 0 ? <RecoveryCodes codes={codes} /> : null}
      {status.data.enabled ? (
        <>
          <p>{t('account.mfa.on', { left: status.data.recoveryCodesLeft })}</p>
          <ManageForms onCodes={setCodes} />
        </>
      ) : (
        <EnrolForm onCodes={setCodes} />
      )}
    </>
  );
}
