import { ApiForm, SubmitButton } from '../../../components/api-form';
import { FormField } from '../../../components/form-field';
import { useFieldForm } from '../../../components/use-field-form';
import { useT } from '../../../lib/i18n';
import type { BoardRole } from '../api/list-members';
import { isBoardRole, RoleSelect } from './board-settings-role-select';

/**
 * An email address and a board role, as adding a member and inviting someone both ask for them.
 * `onSubmit` gets the trimmed address; the form empties once it resolves and shows its refusal
 * (a field error or a problem) when it throws.
 */
export function EmailRoleForm({
  labels,
  onSubmit,
}: {
  labels: { email: string; hint?: string; submit: string; busy: string; failed: string };
  onSubmit: (email: string, role: BoardRole) => Promise<void>;
}) {
  const t = useT();
  const form = useFieldForm({ email: '', role: 'member' });
  const submit = form.handleSubmit(
    () => ({
      email: form.values.email.trim() ? undefined : t('tasks.settings.members.emailRequired'),
    }),
    async () => {
      const role = isBoardRole(form.values.role) ? form.values.role : 'member';
      await onSubmit(form.values.email.trim(), role);
      form.setValues({ email: '', role: 'member' });
    },
  );
  return (
    <ApiForm form={form} onSubmit={submit} errorTitle={labels.failed}>
      <div className="settings-inline-form">
        <FormField
          label={labels.email}
          hint={labels.hint}
          type="email"
          autoComplete="off"
          {...form.field('email')}
        />
        <RoleSelect
          label={t('tasks.settings.role')}
          value={form.values.role}
          onChange={(event) => {
            const { value } = event.target;
            form.setValues((current) => ({ ...current, role: value }));
          }}
        />
        <SubmitButton busy={form.busy} busyLabel={labels.busy}>
          {labels.submit}
        </SubmitButton>
      </div>
    </ApiForm>
  );
}
