import { type FormEvent, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { CheckboxField } from '../../../components/checkbox-field';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { DateTime } from '../../../components/date-time';
import { FormField } from '../../../components/form-field';
import { PageHeading } from '../../../components/page-heading';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import {
  type NewServiceClient,
  type ServiceClient,
  useCreateClientSecret,
  useCreateServiceClient,
  useDisableServiceClient,
  useRevokeClientSecret,
  useServiceClients,
} from '../api/service-clients';
import { StatusMessage } from './status-message';

const SCOPES = ['items:read', 'items:write'] as const;
type Scope = (typeof SCOPES)[number];

/** A secret just issued: shown once, with the client it belongs to. */
interface ShownSecret {
  clientId: string;
  value: string;
}

function CreateClientForm({ onCreated }: { onCreated: (secret: ShownSecret) => void }) {
  const t = useT();
  const create = useCreateServiceClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['items:read']);
  const [audiences, setAudiences] = useState('homeport');
  const [lifetime, setLifetime] = useState('600');
  const [rate, setRate] = useState('60');
  const [scopeError, setScopeError] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (scopes.length === 0) {
      setScopeError(t('admin.clients.scopesRequired'));
      return;
    }
    const body: NewServiceClient = {
      name,
      allowedScopes: scopes,
      allowedAudiences: audiences.split(/[\s,]+/).filter(Boolean),
      tokenLifetimeSeconds: Number(lifetime),
      rateLimitPerMinute: Number(rate),
    };
    create.mutate(body, {
      onSuccess: (created) => {
        setName('');
        onCreated({ clientId: created.client.id, value: created.secret.value });
      },
    });
  }

  return (
    <form className="form" aria-label={t('admin.clients.create')} onSubmit={submit}>
      <FormField
        label={t('admin.clients.name')}
        value={name}
        required
        maxLength={100}
        onChange={(event) => setName(event.target.value)}
      />
      <fieldset className="field">
        <legend className="field__label">{t('admin.clients.scopes')}</legend>
        {SCOPES.map((scope) => (
          <CheckboxField
            key={scope}
            label={scope}
            checked={scopes.includes(scope)}
            onChange={(event) => {
              setScopeError(undefined);
              setScopes((current) =>
                event.target.checked
                  ? SCOPES.filter((name) => name === scope || current.includes(name))
                  : current.filter((name) => name !== scope),
              );
            }}
          />
        ))}
        {scopeError ? (
          <p className="field__error" role="alert">
            {scopeError}
          </p>
        ) : null}
      </fieldset>
      <FormField
        label={t('admin.clients.audiences')}
        hint={t('admin.clients.audiencesHint')}
        value={audiences}
        required
        onChange={(event) => setAudiences(event.target.value)}
      />
      <FormField
        label={t('admin.clients.lifetime')}
        hint={t('admin.clients.lifetimeHint')}
        type="number"
        min={60}
        max={3600}
        required
        value={lifetime}
        onChange={(event) => setLifetime(event.target.value)}
      />
      <FormField
        label={t('admin.clients.rateLimit')}
        type="number"
        min={1}
        max={10000}
        required
        value={rate}
        onChange={(event) => setRate(event.target.value)}
      />
      {create.isError ? (
        <Alert tone="error" title={t('admin.clients.createFailed')}>
          {describeError(create.error)}
        </Alert>
      ) : null}
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        {create.isPending ? t('admin.saving') : t('admin.clients.create')}
      </button>
    </form>
  );
}

function ClientCard({
  client,
  onSecret,
  onDisable,
  onMessage,
}: {
  client: ServiceClient;
  onSecret: (secret: ShownSecret) => void;
  onDisable: (client: ServiceClient) => void;
  onMessage: (message: string) => void;
}) {
  const t = useT();
  const addSecret = useCreateClientSecret();
  const revoke = useRevokeClientSecret();
  const live = client.secrets.filter((secret) => secret.live);
  const disabled = client.disabledAt !== null;
  return (
    <article className="card" aria-label={client.name}>
      <h2>{client.name}</h2>
      <dl>
        <dt>{t('admin.clients.clientId')}</dt>
        <dd>
          <code>{client.id}</code>
        </dd>
        <dt>{t('admin.clients.scopes')}</dt>
        <dd>{client.allowedScopes.join(' ')}</dd>
        <dt>{t('admin.clients.audiences')}</dt>
        <dd>{client.allowedAudiences.join(' ')}</dd>
        <dt>{t('admin.clients.lifetime')}</dt>
        <dd>{t('admin.clients.seconds', { count: client.tokenLifetimeSeconds })}</dd>
        <dt>{t('admin.clients.rateLimit')}</dt>
        <dd>{client.rateLimitPerMinute}</dd>
        <dt>{t('admin.clients.lastUsed')}</dt>
        <dd>
          {client.lastUsedAt ? <DateTime value={client.lastUsedAt} /> : t('admin.clients.never')}
        </dd>
        <dt>{t('admin.clients.status')}</dt>
        <dd>{disabled ? t('admin.clients.disabled') : t('admin.clients.enabled')}</dd>
      </dl>
      <table className="table">
        <caption>{t('admin.clients.secretsOf', { name: client.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.clients.secretHint')}</th>
            <th scope="col">{t('admin.clients.created')}</th>
            <th scope="col">{t('admin.clients.expires')}</th>
            <th scope="col">{t('admin.clients.lastUsed')}</th>
            <th scope="col">{t('admin.clients.status')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('admin.clients.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {client.secrets.map((secret) => (
            <tr key={secret.id}>
              <th scope="row">…{secret.hint}</th>
              <td>
                <DateTime value={secret.createdAt} />
              </td>
              <td>
                <DateTime value={secret.expiresAt} />
              </td>
              <td>
                {secret.lastUsedAt ? (
                  <DateTime value={secret.lastUsedAt} />
                ) : (
                  t('admin.clients.never')
                )}
              </td>
              <td>
                {secret.live
                  ? t('admin.clients.secretLive')
                  : secret.revokedAt
                    ? t('admin.clients.secretRevoked')
                    : t('admin.clients.secretExpired')}
              </td>
              <td>
                {secret.live ? (
                  <button
                    type="button"
                    className="button"
                    disabled={revoke.isPending}
                    aria-label={t('admin.clients.revokeNamed', { hint: secret.hint })}
                    onClick={() =>
                      revoke.mutate(
                        { id: client.id, secretId: secret.id },
                        {
                          onSuccess: () =>
                            onMessage(t('admin.clients.revoked', { hint: secret.hint })),
                        },
                      )
                    }
                  >
                    {t('admin.clients.revoke')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {addSecret.isError || revoke.isError ? (
        <Alert tone="error">{describeError(addSecret.error ?? revoke.error)}</Alert>
      ) : null}
      {disabled ? null : (
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={addSecret.isPending || live.length >= 2}
            aria-label={t('admin.clients.newSecretNamed', { name: client.name })}
            onClick={() =>
              addSecret.mutate(client.id, {
                onSuccess: (issued) => onSecret({ clientId: client.id, value: issued.value }),
              })
            }
          >
            {t('admin.clients.newSecret')}
          </button>
          {live.length >= 2 ? <p className="muted">{t('admin.clients.twoLive')}</p> : null}
          <button
            type="button"
            className="button button--danger"
            aria-label={t('admin.clients.disableNamed', { name: client.name })}
            onClick={() => onDisable(client)}
          >
            {t('admin.clients.disable')}
          </button>
        </div>
      )}
    </article>
  );
}

/** Service clients (OAuth client credentials): create, rotate and revoke secrets, disable. */
export function ServiceClientsPage() {
  const t = useT();
  const clients = useServiceClients();
  const [shown, setShown] = useState<ShownSecret>();
  const [disabling, setDisabling] = useState<ServiceClient | null>(null);
  const [message, setMessage] = useState<string>();
  const messageRef = useRef<HTMLDivElement>(null);
  const disable = useDisableServiceClient();
  const announce = (text: string) => {
    setMessage(text);
    requestAnimationFrame(() => messageRef.current?.focus());
  };

  return (
    <section className="page">
      <PageHeading>{t('admin.clients.title')}</PageHeading>
      <p className="muted">{t('admin.clients.intro')}</p>
      <StatusMessage ref={messageRef} message={message} />
      {shown ? (
        <Alert tone="info" title={t('admin.clients.secretOnce')}>
          <p>{t('admin.clients.secretOnceBody')}</p>
          <p>
            {t('admin.clients.clientId')}: <code>{shown.clientId}</code>
          </p>
          <p>
            {t('admin.clients.secret')}: <code data-testid="client-secret">{shown.value}</code>
          </p>
          <button type="button" className="button" onClick={() => setShown(undefined)}>
            {t('admin.clients.secretSaved')}
          </button>
        </Alert>
      ) : null}
      <CreateClientForm onCreated={setShown} />
      {clients.isPending ? <p>{t('admin.clients.loading')}</p> : null}
      {clients.isError ? (
        <Alert tone="error" title={t('admin.clients.loadFailed')}>
          {describeError(clients.error)}
        </Alert>
      ) : null}
      {clients.data?.length === 0 ? <p>{t('admin.clients.empty')}</p> : null}
      {clients.data?.map((client) => (
        <ClientCard
          key={client.id}
          client={client}
          onSecret={setShown}
          onDisable={(target) => {
            disable.reset();
            setDisabling(target);
          }}
          onMessage={announce}
        />
      ))}
      {disabling ? (
        <ConfirmDialog
          title={t('admin.clients.disableTitle', { name: disabling.name })}
          confirmLabel={
            disable.isPending ? t('admin.clients.disabling') : t('admin.clients.disable')
          }
          danger
          busy={disable.isPending}
          error={
            disable.isError ? <Alert tone="error">{describeError(disable.error)}</Alert> : undefined
          }
          onCancel={() => setDisabling(null)}
          onConfirm={() =>
            disable.mutate(disabling.id, {
              onSuccess: () => {
                setDisabling(null);
                announce(t('admin.clients.disabledMessage', { name: disabling.name }));
              },
            })
          }
        >
          <p>{t('admin.clients.disableBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
