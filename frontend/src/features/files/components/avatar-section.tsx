import { useQueryClient } from '@tanstack/react-query';
import { Alert } from '../../../components/alert';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { FILES_QUERY_KEY } from '../api/files-query-key';
import { useListFiles } from '../api/list-files';
import './files.css';
import { UploadZone } from '../../../components/upload-zone';

/** The current avatar is the newest one uploaded; older ones stay listed on the files page. */
export function AvatarSection() {
  const t = useT();
  const queryClient = useQueryClient();
  const avatars = useListFiles({ limit: 1, purpose: 'avatar' });
  const current = avatars.data?.items[0];
  return (
    <div className="stack">
      <div className="avatar">
        {avatars.isPending ? <Spinner label={t('files.avatar.loading')} /> : null}
        {avatars.isError ? <Alert tone="error">{describeError(avatars.error)}</Alert> : null}
        {current?.publicUrl ? (
          <img className="avatar__image" src={current.publicUrl} alt={t('files.avatar.current')} />
        ) : null}
        {avatars.data && !current ? (
          <>
            <span className="avatar__placeholder" aria-hidden="true">
              ?
            </span>
            <p className="muted">{t('files.avatar.none')}</p>
          </>
        ) : null}
      </div>
      <UploadZone
        purpose="avatar"
        title={t('files.avatar.upload')}
        label={t('files.avatar.choose')}
        hint={t('files.avatar.hint')}
        accept="image/png,image/jpeg,image/gif,image/webp"
        multiple={false}
        onUploaded={() => void queryClient.invalidateQueries({ queryKey: FILES_QUERY_KEY })}
      />
    </div>
  );
}
