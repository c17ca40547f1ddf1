import { type DatePrecision, useFormat } from '../lib/format';

/**
 * An API timestamp in the active language and the user's time zone; the machine-readable value
 * stays in `dateTime`. `relative` shows "3 minutes ago" / "3분 전" with the full time as a tooltip.
 */
export function DateTime({
  value,
  precision = 'minute',
  relative = false,
}: {
  /** ISO 8601, as the API sends it. */
  value: string;
  precision?: DatePrecision;
  relative?: boolean;
}) {
  const format = useFormat();
  const absolute = format.dateTime(value, precision);
  return (
    <time dateTime={value} title={relative ? absolute : undefined}>
      {relative ? format.relative(value) : absolute}
    </time>
  );
}
