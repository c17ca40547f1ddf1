import type { BoardView } from '../api/get-board';

type Member = BoardView['members'][number];

/** A member as people read them: the display name, else the email. */
export function memberName(member: Pick<Member, 'displayName' | 'email'>): string {
  return member.displayName?.trim() || member.email;
}

/** One or two letters for an avatar: the initials of the name, else the email's first letter. */
export function initialsOf(member: Pick<Member, 'displayName' | 'email'>): string {
  const words = (member.displayName ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length >= 2) return `${words[0]?.[0] ?? ''}${words[1]?.[0] ?? ''}`.toUpperCase();
  const first = words[0] ?? member.email;
  return (first[0] ?? '?').toUpperCase();
}
