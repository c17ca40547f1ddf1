import type { BoardMember } from '../api/get-task-board';

/** How a board member is named on screen: the display name, else the email address. */
export function memberName(members: readonly BoardMember[], userId: string | null | undefined) {
  if (!userId) return undefined;
  const member = members.find((candidate) => candidate.userId === userId);
  return member ? (member.displayName ?? member.email) : undefined;
}

/** Members who may be PIC or assignee: supervisors and members, not viewers. */
export function assignableMembers(members: readonly BoardMember[]) {
  return members.filter((member) => member.role !== 'viewer');
}
