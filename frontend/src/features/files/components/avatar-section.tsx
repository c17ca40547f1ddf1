import { Alert } from '../../../components/alert';
import { Spinner } from '../../../components/spinner';
import { describeError } from '../../../lib/problem';
import { useListFiles } from '../api/list-files';
import { UploadZone } from './upload-zone';

/** The current avatar is the newest one uploaded; older ones stay listed on the files page. */
export function AvatarSection() {
  const avatars = useListFiles({ limit: 1, purpose: 'avatar' });
  const current = avatars.data?.items[0];
  return (
    <div className="stack">
      <div className="avatar">
        {avatars.isPending ? <Spinner label="Loading your avatar…" /> : null}
        {avatars.isError ? <Alert tone="error">{describeError(avatars.error)}</Alert> : null}
        {current?.publicUrl ? (
          <img className="avatar__image" src={current.publicUrl} alt="Your current avatar" />
        ) : null}
        {avatars.data && !current ? (
          <>
            <span className="avatar__placeholder" aria-hidden="true">
              ?
            </span>
            <p className="muted">No avatar yet.</p>
          </>
        ) : null}
      </div>
      <UploadZone
        purpose="avatar"
        title="Upload an avatar"
        label="Choose a picture"
        hint="PNG, JPEG, GIF or WebP. Drop an image here, or"
        accept="image/png,image/jpeg,image/gif,image/webp"
        multiple={false}
      />
    </div>
  );
}
