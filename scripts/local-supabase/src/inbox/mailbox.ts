// The local stack's outgoing mail: kept in memory (newest last) instead of being sent, like the
// mail catcher `supabase start` runs. Bounded, so a sign-up storm cannot grow it without limit.
import crypto from 'node:crypto';

export interface Mail {
  id: string;
  to: string;
  subject: string;
  /** Plain text; every link is also listed in `links`. */
  text: string;
  links: string[];
  sentAt: string;
}

export const MAILBOX_LIMIT = 500;

export class Mailbox {
  private readonly mails: Mail[] = [];

  send(mail: Omit<Mail, 'id' | 'sentAt'>): Mail {
    const stored: Mail = { ...mail, id: crypto.randomUUID(), sentAt: new Date().toISOString() };
    this.mails.push(stored);
    if (this.mails.length > MAILBOX_LIMIT) this.mails.splice(0, this.mails.length - MAILBOX_LIMIT);
    return stored;
  }

  /** Newest first; only mail to `to` (case-insensitive) when given. */
  list(to?: string): Mail[] {
    const wanted = to?.trim().toLowerCase();
    return this.mails.filter((mail) => !wanted || mail.to === wanted).reverse();
  }
}
