import { describe, expect, it } from 'vitest';
import { validateInterview } from './interviewSchema.ts';

const valid = { jobPosition: 'Backend Engineer', jobDescription: '', durationMinutes: 30, interviewType: 'technical' };

describe('validateInterview', () => {
  it('accepts the limits of create_interview', () => {
    expect(validateInterview(valid).ok).toBe(true);
    expect(validateInterview({ ...valid, jobPosition: 'x'.repeat(200), jobDescription: 'y'.repeat(5000), durationMinutes: 120 }).ok).toBe(true);
    expect(validateInterview({ ...valid, durationMinutes: 15, interviewType: 'culture_fit' }).ok).toBe(true);
  });

  it('names the field that is wrong', () => {
    const result = validateInterview({ ...valid, jobPosition: '   ', jobDescription: 'y'.repeat(5001), durationMinutes: 10, interviewType: 'panel' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.jobPosition).toBe('Enter the job position.');
    expect(result.errors.jobDescription).toMatch(/5000/);
    expect(result.errors.durationMinutes).toMatch(/15/);
    expect(result.errors.interviewType).toBe('Choose an interview type.');
  });

  it('rejects a position over 200 characters and a duration over 120', () => {
    const result = validateInterview({ ...valid, jobPosition: 'x'.repeat(201), durationMinutes: 121 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['durationMinutes', 'jobPosition']);
  });
});
