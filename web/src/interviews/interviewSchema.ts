// The create-interview form's rules, mirroring the limits of create_interview (supabase/README.md).
// The server checks them again; this is for fast, field-level feedback.
import { z } from 'zod';
import { isBlankText } from './blankText.ts';
import { firstIssuePerField } from '../lib/fieldErrors.ts';

export const DURATION_OPTIONS = [15, 30, 45, 60, 90, 120] as const;
export const INTERVIEW_TYPES = ['technical', 'behavioral', 'screening', 'culture_fit'] as const;
export type InterviewType = (typeof INTERVIEW_TYPES)[number];

export const INTERVIEW_TYPE_LABELS: Record<InterviewType, string> = {
  technical: 'Technical',
  behavioral: 'Behavioral',
  screening: 'Screening',
  culture_fit: 'Culture fit',
};

/** create_interview's limits, in characters as Postgres counts them (code points, after trimming). */
export const TEXT_LIMITS = { jobPosition: 200, jobDescription: 5000 } as const;

/** Characters as Postgres's char_length counts them: an emoji is one, not two UTF-16 units. */
export function characterCount(text: string): number {
  return [...text.trim()].length;
}

// Postgres text cannot hold NUL, so the server would refuse the whole request.
const NUL = '\u0000';

function limitedText(what: string, max: number) {
  return z.string().trim()
    .refine((text) => !text.includes(NUL), `The ${what} contains a character we can't store (an invisible NUL character, often pasted from another program). Remove it and try again.`)
    .refine((text) => characterCount(text) <= max, {
      // Words for the submit check; InterviewForm says the same while they type.
      message: `The ${what} can be at most ${max.toLocaleString('en-US')} characters. Shorten it and try again.`,
    });
}

export const interviewSchema = z.object({
  jobPosition: limitedText('job position', TEXT_LIMITS.jobPosition)
    .refine((text) => text.length > 0, 'Enter the job position.')
    // The server refuses the same set (create_interview, invalid_job_position).
    .refine((text) => text.length === 0 || !isBlankText(text),
      'Enter the job position: it has only spaces, line breaks or invisible characters.'),
  jobDescription: limitedText('description', TEXT_LIMITS.jobDescription),
  durationMinutes: z.number().int().min(15, 'Choose at least 15 minutes.').max(120, 'Choose at most 120 minutes.'),
  interviewType: z.enum(INTERVIEW_TYPES, { message: 'Choose an interview type.' }),
});

export type InterviewInput = z.infer<typeof interviewSchema>;
export type InterviewFieldErrors = Partial<Record<keyof InterviewInput, string>>;

export function validateInterview(values: unknown): { ok: true; data: InterviewInput } | { ok: false; errors: InterviewFieldErrors } {
  const parsed = interviewSchema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: firstIssuePerField(parsed.error, Object.keys(interviewSchema.shape) as (keyof InterviewInput)[]) };
}
