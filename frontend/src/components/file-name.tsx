/**
 * A file name that may be long: cut with a visible ellipsis on one line, the whole name in the
 * tooltip, and read in full by screen readers (the cut is only visual).
 */
export function FileName({ name, className }: { name: string; className?: string }) {
  return (
    <span className={`file-name${className ? ` ${className}` : ''}`} title={name}>
      {name}
    </span>
  );
}
