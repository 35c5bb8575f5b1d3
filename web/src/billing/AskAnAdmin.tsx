// Shown instead of the buy buttons to a team's members: only owners and admins buy credits for a
// team (the checkout refuses anyone else: not_team_admin).
export function AskAnAdmin({ workspaceName }: { workspaceName: string | null }) {
  return (
    <section className="card" aria-labelledby="ask-admin-title" data-testid="ask-an-admin">
      <h2 id="ask-admin-title">Need more credits?</h2>
      <p className="muted">
        Only owners and admins buy credits for {workspaceName ? <strong className="team-heading-name">{workspaceName}</strong> : 'this team'}.
        Ask an admin of the team to add some; they appear here as soon as the payment goes through.
      </p>
    </section>
  );
}
