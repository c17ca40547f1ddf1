import { useEffect } from 'react';
import { useMe } from '../features/account/api/get-me';
import { activateLocale } from '../lib/i18n';
import { useSession } from '../lib/session-store';

/** A signed-in user's pages follow their profile's language (which their emails use too). */
export function LocaleSync() {
  const session = useSession();
  const me = useMe(session.status === 'signedIn');
  const locale = me.data?.locale;
  useEffect(() => {
    if (locale) void activateLocale(locale);
  }, [locale]);
  return null;
}
