import { type ReactNode, useEffect, useLayoutEffect, useRef } from 'react';
import { useT } from '../lib/i18n';

/**
 * The page's h1. It takes focus when the page mounts so that, after client-side navigation,
 * screen readers announce the new page and keyboard users start from its top. A layout effect
 * moves focus during the commit itself, so nothing (the browser's paint, a test) ever sees the
 * new page without it. The document's title names the page too (`title`, else the heading).
 */
export function PageHeading({
  children,
  actions,
  title,
}: {
  children: ReactNode;
  actions?: ReactNode;
  title?: string;
}) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const pageName = title ?? (typeof children === 'string' ? children : undefined);
  useLayoutEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    document.title = pageName ? t('common.documentTitle', { page: pageName }) : t('common.appName');
  }, [pageName, t]);
  return (
    <div className="page-heading">
      <h1 ref={heading} tabIndex={-1}>
        {children}
      </h1>
      {actions ? <div className="page-heading__actions">{actions}</div> : null}
    </div>
  );
}
