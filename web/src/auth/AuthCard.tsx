import type { ReactNode } from 'react';
import './auth.css';

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="auth-title">
        <p className="auth-card__brand">AI Interview Scheduler</p>
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
