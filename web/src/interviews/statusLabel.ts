// An interview's status as the recruiter reads it: the database's words, without the underscore.
export function interviewStatusLabel(status: string): string {
  return status === 'in_progress' ? 'in progress' : status;
}
