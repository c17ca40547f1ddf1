import { type ReactNode, useLayoutEffect, useRef } from 'react';

/**
 * The page's h1. It takes focus when the page mounts so that, after client-side navigation,
 * screen readers announce the new page and keyboard users start from its top. A layout effect
 * moves focus during the commit itself, so nothing (the browser's paint, a test) ever sees the
 * new page without it.
 */
export function PageHeading({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="page-heading">
      <h1 ref={heading} tabIndex={-1}>
        {children}
      </h1>
      {actions ? <div className="page-heading__actions">{actions}</div> : null}
    </div>
  );
}
