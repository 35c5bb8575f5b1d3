import { z } from 'zod';

/** supabase/config.toml [auth] minimum_password_length; a test keeps the two equal. */
export const MIN_PASSWORD_LENGTH = 8;
/** The longest address mail servers accept (RFC 5321 path limit); GoTrue refuses longer ones. */
export const MAX_EMAIL_LENGTH = 254;

const email = z.string().trim()
  .max(MAX_EMAIL_LENGTH, `Email addresses can be at most ${MAX_EMAIL_LENGTH} characters.`)
  .email('Enter a valid email address, like name@company.com.');

/** New passwords follow the server's rule, so the form says what is wrong before the server does. */
export const newPasswordSchema = z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(72, 'Use at most 72 characters.');

export const signUpSchema = z.object({ email, password: newPasswordSchema });

/** public.users.name's limit. */
export const MAX_NAME_LENGTH = 200;

/**
 * Sign-up asks only who you are: the address is proven by the link before any password is set
 * (a password typed before that would be discarded at confirmation anyway, see supabase/README.md).
 */
export const signUpDetailsSchema = z.object({
  email,
  name: z.string().trim().max(MAX_NAME_LENGTH, `Use at most ${MAX_NAME_LENGTH} characters.`),
});

export type SignUpDetails = z.infer<typeof signUpDetailsSchema>;

/** Signing in checks only that something was typed: older accounts may have shorter passwords. */
export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password.').max(72, 'Use at most 72 characters.'),
});

export type Credentials = z.infer<typeof signUpSchema>;
