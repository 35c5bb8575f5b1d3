// Shown instead of the app when the build was not given the Supabase URL or key.
export function MissingConfigScreen({ missing }: { missing: string[] }) {
  return (
    <main className="fatal-screen" role="alert">
      <h1>The app is not configured</h1>
      <p>It needs to know where the Supabase API is. Set these environment variables and restart the dev server (or rebuild):</p>
      <ul>{missing.map((name) => <li key={name}><code>{name}</code></li>)}</ul>
      <p><code>npm start</code> sets them for you from <code>.local/stack.env</code>.</p>
    </main>
  );
}
