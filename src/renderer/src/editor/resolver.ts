import { zodResolver } from '@hookform/resolvers/zod';
import type { FieldErrors, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import type { FieldSpec } from './form-fields';
import { type FormValues, fromFormValues, type SubmitValues } from './form-values';

/**
 * Converts the form's text to engine values (nulls, JSON, numbers), then checks them with the
 * shared zod form schema. Submits the converted values as typed (the engine normalizes again).
 */
export function formResolver(schema: z.ZodType, fields: readonly FieldSpec[]): Resolver<FormValues, unknown, SubmitValues> {
  const check = zodResolver(schema as z.ZodType<SubmitValues, SubmitValues>, undefined, { raw: true });
  return async (form, context, options) => {
    const converted = fromFormValues(fields, form);
    const conversionErrors: FieldErrors<FormValues> = {};
    for (const [name, message] of Object.entries(converted.errors)) conversionErrors[name] = { type: 'format', message };
    const result = await check(converted.values, context, options as Parameters<typeof check>[2]);
    const errors = { ...(result.errors as FieldErrors<FormValues>), ...conversionErrors };
    if (Object.keys(errors).length > 0) return { values: {}, errors };
    return { values: converted.values, errors: {} };
  };
}
