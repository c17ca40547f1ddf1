import { type KeyboardEvent, type RefObject, useLayoutEffect } from 'react';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal's focus: on open, focus moves to `initial` (the dialog's heading); Tab and Shift+Tab
 * wrap inside `container`; Escape calls `onClose`; on close focus returns to what opened it, or
 * to the page's main landmark when the dialog was the first thing shown (a deep link).
 */
export function useDialogFocus(
  container: RefObject<HTMLElement | null>,
  initial: RefObject<HTMLElement | null>,
  onClose: () => void,
) {
  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (initial.current ?? container.current)?.focus();
    return () => {
      if (opener && opener !== document.body && opener.isConnected) opener.focus();
      else document.getElementById('main')?.focus();
    };
  }, [container, initial]);

  return function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !container.current) return;
    const focusable = [...container.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !container.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };
}
