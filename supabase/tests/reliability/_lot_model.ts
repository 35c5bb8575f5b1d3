// A reference model of one wallet's credit lots, written from the rules in supabase/README.md
// (not from the SQL): the refund-recovery property test runs the same steps against it and the
// database and compares every lot, payment and interview after each step.
//  - Every incoming credit is a lot. Spends and holds take from lots in spend order: priority
//    (grant 1 before purchase 2), then soonest expiry (none here), then oldest.
//  - create holds its cost (remaining -> held); complete captures (held -> spent); cancel releases
//    (held -> remaining of the same lots).
//  - A refund takes back only what its payment's own lot still has (remaining -> voided); the rest
//    of the refunded share is unrecovered. Credits of that lot that a cancel releases repay the
//    unrecovered part first; credits of other lots are never taken.

export type PaymentName = 'A' | 'B';

export interface ModelLot {
  source: 'purchase' | 'grant';
  payment: PaymentName | null;
  amount: number;
  remaining: number;
  held: number;
  spent: number;
  voided: number;
}

export interface ModelPayment {
  credits: number;
  cents: number;
  paid: boolean;
  refundedCents: number;
  reversed: number;
  unrecovered: number;
  lot: ModelLot | null;
}

export interface ModelInterview {
  cost: number;
  status: 'scheduled' | 'cancelled' | 'completed';
  holds: Map<ModelLot, number>;
}

const PRIORITY: Record<ModelLot['source'], number> = { grant: 1, purchase: 2 };

export class LotModel {
  readonly lots: ModelLot[] = [];
  readonly payments: Record<PaymentName, ModelPayment> = {
    A: { credits: 5, cents: 500, paid: false, refundedCents: 0, reversed: 0, unrecovered: 0, lot: null },
    B: { credits: 10, cents: 900, paid: false, refundedCents: 0, reversed: 0, unrecovered: 0, lot: null },
  };
  readonly interviews: ModelInterview[] = [];

  get available(): number { return this.lots.reduce((n, l) => n + l.remaining, 0); }
  get reserved(): number { return this.lots.reduce((n, l) => n + l.held, 0); }

  private newLot(source: ModelLot['source'], amount: number, payment: PaymentName | null): ModelLot {
    const lot = { source, payment, amount, remaining: amount, held: 0, spent: 0, voided: 0 };
    this.lots.push(lot);
    return lot;
  }

  /** How much each lot gives for n credits in spend order, or null when the balance is short (refused). */
  private take(n: number): Map<ModelLot, number> | null {
    if (this.available < n) return null;
    const order = this.lots.map((lot, i) => ({ lot, i }))
      .sort((x, y) => PRIORITY[x.lot.source] - PRIORITY[y.lot.source] || x.i - y.i);
    const taken = new Map<ModelLot, number>();
    let left = n;
    for (const { lot } of order) {
      const t = Math.min(lot.remaining, left);
      if (t > 0) taken.set(lot, t);
      left -= t;
    }
    return taken;
  }

  grant(amount: number): void { this.newLot('grant', amount, null); }

  buy(name: PaymentName): void {
    const p = this.payments[name];
    p.paid = true;
    p.lot = this.newLot('purchase', p.credits, name);
    this.reconcile(name); // a refund that came before the payment
  }

  refund(name: PaymentName, cents: number): void {
    const p = this.payments[name];
    p.refundedCents = Math.max(p.refundedCents, Math.min(cents, p.cents));
    this.reconcile(name);
  }

  private reconcile(name: PaymentName): void {
    const p = this.payments[name];
    if (!p.paid || !p.lot || p.refundedCents === 0) return;
    const share = p.refundedCents >= p.cents ? p.credits : Math.floor(p.credits * p.refundedCents / p.cents);
    const owed = share - p.reversed - p.unrecovered;
    if (owed <= 0) return;
    const t = Math.min(owed, p.lot.remaining);
    p.lot.remaining -= t;
    p.lot.voided += t;
    p.reversed += t;
    p.unrecovered += owed - t;
  }

  spend(n: number): boolean {
    const taken = this.take(n);
    if (!taken) return false;
    for (const [lot, t] of taken) { lot.remaining -= t; lot.spent += t; }
    return true;
  }

  /** Returns whether the interview was created (false: not enough credits). */
  create(durationMinutes: number): boolean {
    const cost = Math.ceil(durationMinutes / 30);
    const taken = this.take(cost);
    if (!taken) return false;
    for (const [lot, t] of taken) { lot.remaining -= t; lot.held += t; }
    this.interviews.push({ cost, status: 'scheduled', holds: taken });
    return true;
  }

  cancel(iv: ModelInterview): void {
    if (iv.status !== 'scheduled') return; // a replay, or refused (completed)
    iv.status = 'cancelled';
    for (const [lot, t] of iv.holds) {
      lot.held -= t;
      lot.remaining += t;
      const p = lot.payment ? this.payments[lot.payment] : null;
      if (p && p.unrecovered > 0) {
        const repay = Math.min(t, p.unrecovered);
        lot.remaining -= repay;
        lot.voided += repay;
        p.reversed += repay;
        p.unrecovered -= repay;
      }
    }
  }

  complete(iv: ModelInterview): void {
    if (iv.status !== 'scheduled') return; // a replay, or refused (cancelled)
    iv.status = 'completed';
    for (const [lot, t] of iv.holds) { lot.held -= t; lot.spent += t; }
  }
}
