// The create-interview form's rules, mirroring the limits of create_interview (supabase/README.md).
// The server checks them again; this is for fast, field-level feedback.
import { z } from 'zod';

export const DURATION_OPTIONS = [15, 30, 45, 60, 90, 120] as const;
export const INTERVIEW_TYPES = ['technical', 'behavioral', 'screening', 'culture_fit'] as const;
export type InterviewType = (typeof INTERVIEW_TYPES)[number];

export const INTERVIEW_TYPE_LABELS: Record<InterviewType, string> = {
  technical: 'Technical',
  behavioral: 'Behavioral',
  screening: 'Screening',
  culture_fit: 'Culture fit',
};

export const interviewSchema = z.object({
  jobPosition: z.string().trim()
    .min(1, 'Enter the job position.')
    .max(200, 'Keep the job position under 200 characters.'),
  jobDescription: z.string().trim().max(5000, 'Keep the description under 5000 characters.'),
  durationMinutes: z.number().int().min(15, 'Choose at least 15 minutes.').max(120, 'Choose at most 120 minutes.'),
  interviewType: z.enum(INTERVIEW_TYPES, { message: 'Choose an interview type.' }),
});

export type InterviewInput = z.infer<typeof interviewSchema>;
export type InterviewFieldErrors = Partial<Record<keyof InterviewInput, string>>;

export function validateInterview(values: unknown): { ok: true; data: InterviewInput } | { ok: false; errors: InterviewFieldErrors } {
  const parsed = interviewSchema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: InterviewFieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in interviewSchema.shape && !errors[field as keyof InterviewInput]) {
      errors[field as keyof InterviewInput] = issue.message;
    }
  }
  return { ok: false, errors };
}
