import type { ReactNode } from 'react';
import { usePageTitle } from '../ui/usePageTitle.ts';
import './auth.css';

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
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
