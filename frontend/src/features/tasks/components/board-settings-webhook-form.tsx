import { type FormEvent, useId, useLayoutEffect, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { SubmitButton } from '../../../components/api-form';
import { CheckboxField } from '../../../components/checkbox-field';
import { FormField } from '../../../components/form-field';
import { useT } from '../../../lib/i18n';
import { fieldErrorsOf } from '../../../lib/problem';
import { sentence } from '../../../lib/sentence';
import { useCreateWebhook, type WebhookEventType } from '../api/create-webhook';
import { WEBHOOK_EVENT_GROUPS, type WebhookEventGroup } from '../lib/webhook-events';
import type { RevealedSecret } from './board-settings-webhook-secret';
import { describeWebhookError, webhookUrlRefusal } from './webhook-errors';

const GROUP_KEYS: Record<WebhookEventGroup, string> = {
  board: 'tasks.settings.webhooks.group.board',
  members: 'tasks.settings.webhooks.group.members',
  invitations: 'tasks.settings.webhooks.group.invitations',
  columns: 'tasks.settings.webhooks.group.columns',
  labels: 'tasks.settings.webhooks.group.labels',
  tasks: 'tasks.settings.webhooks.group.tasks',
  checklist: 'tasks.settings.webhooks.group.checklist',
  comments: 'tasks.settings.webhooks.group.comments',
  attachments: 'tasks.settings.webhooks.group.attachments',
};
const GROUPS = Object.keys(WEBHOOK_EVENT_GROUPS) as WebhookEventGroup[];

/** Registers an endpoint: its URL and the activity it receives (every type, or chosen ones). */
export function WebhookCreateForm({
  boardId,
  onCreated,
}: {
  boardId: string;
  onCreated: (revealed: RevealedSecret) => void;
}) {
  const t = useT();
  const create = useCreateWebhook(boardId);
  const [url, setUrl] = useState('');
  const [allEvents, setAllEvents] = useState(true);
  const [chosen, setChosen] = useState<ReadonlySet<WebhookEventType>>(new Set());
  const [errors, setErrors] = useState<{ url?: string; events?: string; form?: string }>({});
  const formRef = useRef<HTMLFormElement>(null);
  // Counts refused submits; focus moves to the first invalid input in the commit that marks it.
  const [refusals, setRefusals] = useState(0);
  useLayoutEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);
  const eventsErrorId = useId();

  function toggle(type: WebhookEventType, checked: boolean) {
    setChosen((current) => {
      const next = new Set(current);
      if (checked) next.add(type);
      else next.delete(type);
      return next;
    });
    setErrors((current) => ({ ...current, events: undefined }));
  }

  function check() {
    const found: typeof errors = {};
    const trimmed = url.trim();
    if (!trimmed) found.url = t('tasks.settings.webhooks.urlRequired');
    else if (!URL.canParse(trimmed)) found.url = t('tasks.settings.webhooks.error.urlInvalid');
    if (!allEvents && chosen.size === 0) found.events = t('tasks.settings.webhooks.eventsRequired');
    return found;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (found.url || found.events) {
      setRefusals((count) => count + 1);
      return;
    }
    const eventTypes: WebhookEventType[] = allEvents ? ['*'] : [...chosen];
    try {
      const created = await create.mutateAsync({ url: url.trim(), eventTypes });
      setUrl('');
      setAllEvents(true);
      setChosen(new Set());
      onCreated({ url: created.webhook.url, secret: created.secret, reason: 'created' });
    } catch (error) {
      const refusal = webhookUrlRefusal(error, t);
      const { fields } = fieldErrorsOf(error);
      if (refusal || fields.url) {
        setErrors({ url: refusal ?? sentence(fields.url ?? '') });
        setRefusals((count) => count + 1);
      } else {
        setErrors({ form: describeWebhookError(error, t) });
      }
    }
  }

  return (
    <form
      ref={formRef}
      className="form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-busy={create.isPending || undefined}
      aria-label={t('tasks.settings.webhooks.addTitle')}
    >
      {errors.form ? (
        <Alert tone="error" title={t('tasks.settings.webhooks.addFailed')}>
          {errors.form}
        </Alert>
      ) : null}
      <FormField
        label={t('tasks.settings.webhooks.url')}
        hint={t('tasks.settings.webhooks.urlHint')}
        type="url"
        inputMode="url"
        maxLength={2000}
        value={url}
        error={errors.url}
        onChange={(event) => {
          setUrl(event.target.value);
          setErrors((current) => ({ ...current, url: undefined, form: undefined }));
        }}
      />
      <fieldset
        className="webhook-events"
        aria-describedby={errors.events ? eventsErrorId : undefined}
      >
        <legend className="field__label">{t('tasks.settings.webhooks.events')}</legend>
        <CheckboxField
          label={t('tasks.settings.webhooks.allEvents')}
          hint={t('tasks.settings.webhooks.allEventsHint')}
          checked={allEvents}
          onChange={(event) => {
            setAllEvents(event.target.checked);
            setErrors((current) => ({ ...current, events: undefined }));
          }}
        />
        {allEvents ? null : (
          <div className="webhook-events__groups">
            {GROUPS.map((group) => (
              <fieldset key={group} className="webhook-events__group">
                <legend>{t(GROUP_KEYS[group])}</legend>
                {WEBHOOK_EVENT_GROUPS[group].map((type) => (
                  <CheckboxField
                    key={type}
                    label={type}
                    checked={chosen.has(type)}
                    onChange={(event) => toggle(type, event.target.checked)}
                  />
                ))}
              </fieldset>
            ))}
          </div>
        )}
        {errors.events ? (
          <p className="field__error" id={eventsErrorId} role="alert">
            {errors.events}
          </p>
        ) : null}
      </fieldset>
      <div className="form__actions">
        <SubmitButton busy={create.isPending} busyLabel={t('tasks.settings.webhooks.adding')}>
          {t('tasks.settings.webhooks.add')}
        </SubmitButton>
      </div>
    </form>
  );
}
