import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { ApiForm, SubmitButton } from '../../../components/api-form';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { DateTime } from '../../../components/date-time';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import type { components } from '../../../lib/api-schema';
import { type Translate, useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import {
  passkeysSupported,
  useAddPasskey,
  useDeletePasskey,
  usePasskeys,
  useRenamePasskey,
} from './api/passkeys';
import { passkeyErrorMessage } from './passkey-error';

type Passkey = components['schemas']['Passkey'];

function removeError(t: Translate, error: unknown): string {
  return error instanceof ApiError && error.code === 'last_sign_in_method'
    ? t('auth.passkeys.account.lastMethod')
    : describeError(error);
}

/**
 * Adding one: the browser's prompt starts at once on an aal2 session; otherwise the API asks for
 * the password (403 `reauthentication_required`) and the field appears.
 */
function AddPasskeyForm() {
  const t = useT();
  const add = useAddPasskey();
  const form = useFieldForm({ name: '', password: '' });
  const [needsPassword, setNeedsPassword] = useState(false);
  const [ceremonyError, setCeremonyError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);

  const onSubmit = form.handleSubmit(
    () => ({
      password:
        needsPassword && !form.values.password ? t('account.password.currentRequired') : undefined,
    }),
    async () => {
      setCeremonyError(null);
      setAdded(null);
      try {
        const created = await add.mutateAsync({
          name: form.values.name,
          ...(needsPassword ? { password: form.values.password } : {}),
        });
        setAdded(created.name);
        setNeedsPassword(false);
        form.setValues({ name: '', password: '' });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'reauthentication_required') {
          // Not a failure: the field appears, with its hint saying why.
          setNeedsPassword(true);
          return;
        }
        if (error instanceof ApiError) throw error;
        setCeremonyError(error);
      }
    },
  );

  return (
    <ApiForm
      form={form}
      onSubmit={onSubmit}
      errorTitle={t('auth.passkeys.account.addFailed')}
      notices={
        <>
          {added ? (
            <Alert tone="success">{t('auth.passkeys.account.addedDone', { name: added })}</Alert>
          ) : null}
          {ceremonyError ? (
            <Alert tone="error" title={t('auth.passkeys.account.addFailed')}>
              {passkeyErrorMessage(t, ceremonyError)}
            </Alert>
          ) : null}
        </>
      }
    >
      <FormField
        label={t('auth.passkeys.account.name')}
        hint={t('auth.passkeys.account.nameHint')}
        maxLength={64}
        autoComplete="off"
        {...form.field('name')}
      />
      {needsPassword ? (
        <FormField
          label={t('auth.passkeys.account.password')}
          hint={t('auth.passkeys.account.passwordHint')}
          type="password"
          autoComplete="current-password"
          required
          {...form.field('password')}
        />
      ) : null}
      <div className="form__actions">
        <SubmitButton busy={form.busy} busyLabel={t('auth.passkeys.account.adding')}>
          {t('auth.passkeys.account.add')}
        </SubmitButton>
      </div>
    </ApiForm>
  );
}

function RenameForm({ passkey, onDone }: { passkey: Passkey; onDone(): void }) {
  const t = useT();
  const rename = useRenamePasskey();
  const form = useFieldForm({ name: passkey.name });
  const onSubmit = form.handleSubmit(
    () => ({
      name: form.values.name.trim() ? undefined : t('auth.passkeys.account.nameHint'),
    }),
    async () => {
      await rename.mutateAsync({ id: passkey.id, name: form.values.name });
      onDone();
    },
  );
  return (
    <ApiForm form={form} onSubmit={onSubmit} errorTitle={t('auth.passkeys.account.renameFailed')}>
      <FormField
        label={t('auth.passkeys.account.name')}
        maxLength={64}
        autoComplete="off"
        required
        {...form.field('name')}
      />
      <div className="form__actions">
        <SubmitButton busy={form.busy} busyLabel={t('account.saving')}>
          {t('auth.passkeys.account.save')}
        </SubmitButton>
        <button type="button" className="button" onClick={onDone}>
          {t('auth.passkeys.account.cancel')}
        </button>
      </div>
    </ApiForm>
  );
}

/**
 * The account page's "Passkeys": the account's passkeys (synced or on one device, when added,
 * when last used), adding one, renaming and removing — the API refuses removing the last way to
 * sign in.
 */
export function PasskeysSection() {
  const t = useT();
  const passkeys = usePasskeys();
  const remove = useDeletePasskey();
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const list = passkeys.data?.items ?? [];

  return (
    <section className="card stack" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">{t('auth.passkeys.account.title')}</h2>
      <p className="muted">{t('auth.passkeys.account.intro')}</p>
      {passkeys.isError ? (
        <Alert tone="error">{describeError(passkeys.error)}</Alert>
      ) : passkeys.isPending ? null : list.length === 0 ? (
        <p className="muted">{t('auth.passkeys.account.none')}</p>
      ) : (
        <ul className="stack" aria-label={t('auth.passkeys.account.title')}>
          {list.map((passkey) =>
            renaming === passkey.id ? (
              <li key={passkey.id}>
                <RenameForm passkey={passkey} onDone={() => setRenaming(null)} />
              </li>
            ) : (
              <li key={passkey.id} className="form__actions form__actions--spread">
                <span>
                  <strong className="break-anywhere">{passkey.name}</strong>{' '}
                  <span className="muted">
                    (
                    {passkey.synced
                      ? t('auth.passkeys.account.synced')
                      : t('auth.passkeys.account.deviceBound')}
                    )
                  </span>
                  <br />
                  <span className="muted">
                    {t('auth.passkeys.account.added')}{' '}
                    <DateTime value={passkey.createdAt} precision="day" /> ·{' '}
                    {passkey.lastUsedAt ? (
                      <>
                        {t('auth.passkeys.account.lastUsed')}{' '}
                        <DateTime value={passkey.lastUsedAt} />
                      </>
                    ) : (
                      t('auth.passkeys.account.neverUsed')
                    )}
                  </span>
                </span>
                <span className="form__actions">
                  <button type="button" className="button" onClick={() => setRenaming(passkey.id)}>
                    {t('auth.passkeys.account.rename', { name: passkey.name })}
                  </button>
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      remove.reset();
                      setRemoving(passkey);
                    }}
                  >
                    {t('auth.passkeys.account.remove', { name: passkey.name })}
                  </button>
                </span>
              </li>
            ),
          )}
        </ul>
      )}
      {passkeysSupported() ? (
        <AddPasskeyForm />
      ) : (
        <p className="muted">{t('auth.passkeys.account.unsupported')}</p>
      )}
      {removing ? (
        <ConfirmDialog
          title={t('auth.passkeys.account.confirmTitle', { name: removing.name })}
          confirmLabel={t('auth.passkeys.account.confirm')}
          danger
          busy={remove.isPending}
          error={
            remove.isError ? (
              <Alert tone="error" title={t('auth.passkeys.account.removeFailed')}>
                {removeError(t, remove.error)}
              </Alert>
            ) : null
          }
          onConfirm={() => remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
          onCancel={() => setRemoving(null)}
        >
          <p>{t('auth.passkeys.account.confirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
