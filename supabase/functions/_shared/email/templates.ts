// The mails the outbox knows (billing.email_templates holds the same names and required params):
// plain text plus simple HTML in which every value is escaped. A mail that cannot be rendered
// (unknown template, missing or malformed params) is a TemplateError: retrying cannot fix it.
import { z } from 'zod';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const PRODUCT = 'AI Interview Scheduler';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * One line: line breaks and other control characters (C0, DEL, C1 such as NEL, and the Unicode
 * line and paragraph separators) become spaces. For the subject, and for every name a recruiter
 * typed (public.users.name may hold line breaks), so a name cannot add lines to the text mail.
 */
function oneLine(text: string): string {
  // deno-lint-ignore no-control-regex -- control characters are exactly what this removes
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** A name a recruiter typed, made one line; blank after that is a bad param. */
const typedName = z.string().transform(oneLine).pipe(z.string().min(1));

function page(paragraphs: string[]): string {
  return `<!doctype html><html><body style="font-family: system-ui, sans-serif; color: #1f2933; line-height: 1.5">${
    paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;
}

function parse<S extends z.ZodType>(template: string, schema: S, params: unknown): z.infer<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`).join('; ');
    throw new TemplateError(`${template}: bad params (${details})`);
  }
  return parsed.data;
}

const InvitationParams = z.object({
  team_name: typedName,
  invited_by: typedName,
  role: z.enum(['admin', 'member']),
  token: z.string().min(1),
  expires_at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date'),
});

function teamInvitation(params: unknown, siteUrl: string): RenderedEmail {
  const p = parse('team_invitation', InvitationParams, params);
  const link = `${siteUrl.replace(/\/+$/, '')}/invite/${encodeURIComponent(p.token)}`;
  const role = p.role === 'admin' ? 'an admin' : 'a member';
  const expires = `${new Date(p.expires_at).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'short' })} UTC`;
  const e = escapeHtml;
  return {
    subject: oneLine(`${p.invited_by} invited you to ${p.team_name}`),
    text: [
      'Hello,',
      `${p.invited_by} invited you to join the team "${p.team_name}" on ${PRODUCT} as ${role}.`,
      `Accept the invitation: ${link}`,
      `The link works until ${expires}. If you did not expect this invitation, you can ignore this e-mail.`,
    ].join('\n\n'),
    html: page([
      'Hello,',
      `<strong>${e(p.invited_by)}</strong> invited you to join the team <strong>${e(p.team_name)}</strong> on ${PRODUCT} as ${role}.`,
      `<a href="${e(link)}">Accept the invitation</a>`,
      `Or open this link: ${e(link)}`,
      `The link works until ${e(expires)}. If you did not expect this invitation, you can ignore this e-mail.`,
    ]),
  };
}

const PaymentFailedParams = z.object({
  plan_name: typedName,
  workspace_name: typedName,
  amount_cents: z.number().int().nonnegative(),
  currency: z.string().regex(/^[a-z]{3}$/i),
  next_attempt_at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date').optional(),
});

function utcDate(value: string): string {
  return `${new Date(value).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'short' })} UTC`;
}

/** The owner of a workspace whose subscription renewal failed (billing.apply_invoice_failed). */
function subscriptionPaymentFailed(params: unknown, siteUrl: string): RenderedEmail {
  const p = parse('subscription_payment_failed', PaymentFailedParams, params);
  const link = `${siteUrl.replace(/\/+$/, '')}/billing`;
  const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: p.currency.toUpperCase() }).format(p.amount_cents / 100);
  const retry = p.next_attempt_at ? ` We will try again on ${utcDate(p.next_attempt_at)}.` : '';
  const e = escapeHtml;
  return {
    subject: oneLine(`Your payment for ${p.plan_name} failed`),
    text: [
      'Hello,',
      `The payment of ${amount} for the ${p.plan_name} subscription of ${p.workspace_name} on ${PRODUCT} failed.${retry}`,
      `Update your card on the billing page: ${link}`,
      'Your credits stay usable until the end of the period already paid for.',
    ].join('\n\n'),
    html: page([
      'Hello,',
      `The payment of ${e(amount)} for the <strong>${e(p.plan_name)}</strong> subscription of <strong>${e(p.workspace_name)}</strong> on ${PRODUCT} failed.${e(retry)}`,
      `<a href="${e(link)}">Update your card on the billing page</a>`,
      'Your credits stay usable until the end of the period already paid for.',
    ]),
  };
}

// The billing page of the workspace a mail is about: ?workspace= selects it in the tab that opens.
function billingLink(siteUrl: string, teamId: string | null | undefined): string {
  return `${siteUrl.replace(/\/+$/, '')}/billing?workspace=${teamId ? encodeURIComponent(teamId) : 'personal'}`;
}

const credits = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'credit' : 'credits'}`;
const whole = z.number().int().nonnegative();

// billing.alert_low_balance: one mail per crossing of the workspace's alert.
const LowBalanceParams = z.object({
  workspace: typedName,
  team_id: z.string().uuid().nullish(),
  threshold: whole,
  available: whole,
});

function lowBalance(params: unknown, siteUrl: string): RenderedEmail {
  const p = parse('low_balance', LowBalanceParams, params);
  const link = billingLink(siteUrl, p.team_id);
  const where = p.team_id ? `the team "${p.workspace}"` : p.workspace;
  const e = escapeHtml;
  const left = p.available === 0 ? 'no credits left' : `${credits(p.available)} left`;
  return {
    subject: oneLine(p.team_id ? `${p.workspace}: low credit balance` : 'Your credit balance is low'),
    text: [
      'Hello,',
      `${where} on ${PRODUCT} has ${left}, below the alert of ${credits(p.threshold)}.`,
      `Add credits so interviews keep running: ${link}`,
      'You get this e-mail once each time the balance falls below the alert; change or turn it off on the billing page.',
    ].join('\n\n'),
    html: page([
      'Hello,',
      `${p.team_id ? `The team <strong>${e(p.workspace)}</strong>` : e(where.charAt(0).toUpperCase() + where.slice(1))} on ${PRODUCT} has <strong>${e(left)}</strong>, below the alert of ${e(credits(p.threshold))}.`,
      `<a href="${e(link)}">Add credits</a> so interviews keep running.`,
      'You get this e-mail once each time the balance falls below the alert; change or turn it off on the billing page.',
    ]),
  };
}

// billing.remind_expiring_lots: one mail per lot, about a week before it expires.
const ExpiringParams = z.object({
  workspace: typedName,
  team_id: z.string().uuid().nullish(),
  credits: whole.positive(),
  expires_at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date'),
});

function creditsExpiring(params: unknown, siteUrl: string): RenderedEmail {
  const p = parse('credits_expiring', ExpiringParams, params);
  const link = billingLink(siteUrl, p.team_id);
  const where = p.team_id ? `the team "${p.workspace}"` : p.workspace;
  const when = utcDate(p.expires_at);
  const e = escapeHtml;
  const sentence = `${credits(p.credits)} of ${where} on ${PRODUCT} expire on ${when}.`;
  return {
    subject: oneLine(`${credits(p.credits)} expire on ${when}`),
    text: ['Hello,', sentence, `Use them before then; what is left expires. Your balance: ${link}`].join('\n\n'),
    html: page(['Hello,', e(sentence), `Use them before then; what is left expires. <a href="${e(link)}">See your balance</a>`]),
  };
}

const TestParams = z.object({ message: z.string().optional() });

function testMail(params: unknown): RenderedEmail {
  const p = parse('test', TestParams, params);
  const message = p.message ?? 'The e-mail settings work: this message went through the outbox.';
  return {
    subject: `${PRODUCT}: test e-mail`,
    text: message,
    html: page([escapeHtml(message)]),
  };
}

/** The mail for an outbox row; throws TemplateError when it cannot be rendered. */
export function renderEmail(template: string, params: unknown, siteUrl: string): RenderedEmail {
  switch (template) {
    case 'team_invitation':
      return teamInvitation(params, siteUrl);
    case 'subscription_payment_failed':
      return subscriptionPaymentFailed(params, siteUrl);
    case 'low_balance':
      return lowBalance(params, siteUrl);
    case 'credits_expiring':
      return creditsExpiring(params, siteUrl);
    case 'test':
      return testMail(params);
    default:
      throw new TemplateError(`unknown template ${template}`);
  }
}
