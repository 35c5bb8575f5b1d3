import { describe, expect, it } from 'vitest';
import { characterCount, validateInterview } from './interviewSchema.ts';

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
    expect(result.errors.jobDescription).toMatch(/at most 5,000 characters/);
    expect(result.errors.durationMinutes).toMatch(/15/);
    expect(result.errors.interviewType).toBe('Choose an interview type.');
  });

  it('refuses a position of only tabs, line breaks or zero-width characters, as create_interview does', () => {
    for (const jobPosition of ['\t\t', '\n\r\n', '\u200B\u200D', '\uFEFF\u2060', '\u3164', '\u2800', '\u180E\u00AD']) {
      const result = validateInterview({ ...valid, jobPosition });
      // Tabs and line breaks are trimmed away (then it is empty); invisible characters are not.
      expect(result.ok ? 'accepted' : result.errors.jobPosition).toMatch(/^Enter the job position/);
    }
    expect(validateInterview({ ...valid, jobPosition: 'QA\u200B' }).ok).toBe(true);
  });

  it('rejects a position over 200 characters and a duration over 120', () => {
    const result = validateInterview({ ...valid, jobPosition: 'x'.repeat(201), durationMinutes: 121 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['durationMinutes', 'jobPosition']);
  });

  it('points a NUL character at its field instead of letting the server refuse the whole form', () => {
    const result = validateInterview({ ...valid, jobDescription: 'Role\u0000 details' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.jobDescription).toMatch(/^The description contains a character we can't store/);
    expect(result.errors.jobPosition).toBeUndefined();
  });

  it('counts characters as Postgres does: an emoji is one, surrounding spaces are trimmed', () => {
    expect(characterCount('  ab😀  ')).toBe(3);
    expect(validateInterview({ ...valid, jobPosition: '😀'.repeat(200) }).ok).toBe(true);
    expect(validateInterview({ ...valid, jobPosition: '😀'.repeat(201) }).ok).toBe(false);
  });
});
