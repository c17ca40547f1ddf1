/** Capture group `group` of a regular expression match; throws when the group took no part. */
export function captured(match: RegExpMatchArray, group = 1): string {
  const value = match[group];
  if (value === undefined)
    throw new Error(`group ${group} took no part in ${JSON.stringify(match[0])}`);
  return value;
}
