// The create-interview fields. Controlled by CreateInterviewPage, which owns submission.
import { useId } from 'react';
import {
  DURATION_OPTIONS, INTERVIEW_TYPES, INTERVIEW_TYPE_LABELS, TEXT_LIMITS, type InterviewFieldErrors, type InterviewType,
} from './interviewSchema.ts';
import { CharacterCounter } from './CharacterCounter.tsx';
import { formatMinutes } from '../lib/format.ts';

export interface InterviewFormValues {
  jobPosition: string;
  jobDescription: string;
  durationMinutes: number;
  interviewType: InterviewType;
}

interface Props {
  values: InterviewFormValues;
  errors: InterviewFieldErrors;
  onChange(values: InterviewFormValues): void;
}

export function InterviewForm({ values, errors, onChange }: Props) {
  const id = useId();
  const describedBy = (field: keyof InterviewFormValues, ...more: string[]) =>
    [errors[field] ? `${id}-${field}-error` : '', ...more].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: keyof InterviewFormValues) =>
    errors[field] && <p className="field__error" id={`${id}-${field}-error`}>{errors[field]}</p>;

  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-position`}>Job position</label>
        <input
          id={`${id}-position`} name="jobPosition" value={values.jobPosition} required
          placeholder="e.g. Senior Frontend Engineer" aria-invalid={Boolean(errors.jobPosition)}
          aria-describedby={describedBy('jobPosition', `${id}-position-count`)}
          onChange={(e) => onChange({ ...values, jobPosition: e.target.value })}
        />
        <CharacterCounter id={`${id}-position-count`} text={values.jobPosition} max={TEXT_LIMITS.jobPosition} showFrom={0.8} />
        {fieldError('jobPosition')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Job description <span className="muted">(optional)</span></label>
        <textarea
          id={`${id}-description`} name="jobDescription" value={values.jobDescription} rows={5}
          placeholder="What the role involves and what to probe for" aria-invalid={Boolean(errors.jobDescription)}
          aria-describedby={describedBy('jobDescription', `${id}-description-count`)}
          onChange={(e) => onChange({ ...values, jobDescription: e.target.value })}
        />
        <CharacterCounter id={`${id}-description-count`} text={values.jobDescription} max={TEXT_LIMITS.jobDescription} />
        {fieldError('jobDescription')}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-duration`}>Duration</label>
          <select
            id={`${id}-duration`} name="durationMinutes" value={values.durationMinutes}
            aria-describedby={describedBy('durationMinutes')}
            onChange={(e) => onChange({ ...values, durationMinutes: Number(e.target.value) })}
          >
            {DURATION_OPTIONS.map((minutes) => <option key={minutes} value={minutes}>{formatMinutes(minutes)}</option>)}
          </select>
          {fieldError('durationMinutes')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Interview type</label>
          <select
            id={`${id}-type`} name="interviewType" value={values.interviewType}
            aria-describedby={describedBy('interviewType')}
            onChange={(e) => onChange({ ...values, interviewType: e.target.value as InterviewType })}
          >
            {INTERVIEW_TYPES.map((type) => <option key={type} value={type}>{INTERVIEW_TYPE_LABELS[type]}</option>)}
          </select>
          {fieldError('interviewType')}
        </div>
      </div>
    </>
  );
}
