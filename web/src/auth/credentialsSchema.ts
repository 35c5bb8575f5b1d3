import { z } from 'zod';

export const credentialsSchema = z.object({
  email: z.string().trim().email('Enter a valid email address, like name@company.com.'),
  password: z.string().min(6, 'Use at least 6 characters.').max(72, 'Use at most 72 characters.'),
});

export type Credentials = z.infer<typeof credentialsSchema>;
