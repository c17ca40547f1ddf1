import { useLayoutEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * The values the API's redirect put in the address's fragment (`#challenge=…`), read once; the
 * fragment is then replaced away, so a reload, the history or a shared screenshot keeps no
 * token. The fragment never reaches a server, so it is also absent from every access log.
 */
export function useFragment(): URLSearchParams {
  const location = useLocation();
  const navigate = useNavigate();
  const [values] = useState(() => new URLSearchParams(location.hash.replace(/^#/, '')));
  useLayoutEffect(() => {
    if (!location.hash) return;
    navigate(
      { pathname: location.pathname, search: location.search },
      { replace: true, state: location.state },
    );
  }, [location, navigate]);
  return values;
}
