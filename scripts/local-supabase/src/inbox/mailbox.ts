// The local stack's outgoing mail: kept in memory (newest last) instead of being sent, like the
// mail catcher `supabase start` runs. Bounded, so a sign-up storm cannot grow it without limit.
// Two senders: the local auth server, and the send-email function through the inbox's e-mail API
// (email-api.ts), whose Idempotency-Key is honoured here.
import crypto from 'node:crypto';

export interface Mail {
  id: string;
  to: string;
  /** Sender as the e-mail API was given it; absent on auth mails. */
  from?: string;
  subject: string;
  /** Plain text; every link is also listed in `links`. */
  text: string;
  links: string[];
  sentAt: string;
}

export const MAILBOX_LIMIT = 500;

export class Mailbox {
  private readonly mails: Mail[] = [];
  /** Idempotency-Key → the mail it stored, for the mails still kept. */
  private readonly byKey = new Map<string, Mail>();

  send(mail: Omit<Mail, 'id' | 'sentAt'>): Mail {
    const stored: Mail = { ...mail, id: crypto.randomUUID(), sentAt: new Date().toISOString() };
    this.mails.push(stored);
    if (this.mails.length > MAILBOX_LIMIT) {
      const dropped = new Set(this.mails.splice(0, this.mails.length - MAILBOX_LIMIT));
      for (const [key, kept] of this.byKey) if (dropped.has(kept)) this.byKey.delete(key);
    }
    return stored;
  }

  /** The mail stored under `key` before, else a new one stored under it (replayed says which). */
  sendOnce(key: string, mail: Omit<Mail, 'id' | 'sentAt'>): { mail: Mail; replayed: boolean } {
    const earlier = this.byKey.get(key);
    if (earlier) return { mail: earlier, replayed: true };
    const stored = this.send(mail);
    this.byKey.set(key, stored);
    return { mail: stored, replayed: false };
  }

  /** Newest first; only mail to `to` (case-insensitive) when given. */
  list(to?: string): Mail[] {
    const wanted = to?.trim().toLowerCase();
    return this.mails.filter((mail) => !wanted || mail.to === wanted).reverse();
  }
}
