/**
 * The one text form of a path into an input, as a validation issue's `field` carries it: parts
 * joined with "." ("request.filters.0.value"), "" for the whole input. The main process writes it
 * with fieldOfPath; the renderer reads it back with pathOfField, never with patterns of its own.
 */

/** The `field` of an issue at `path` (zod's and Standard Schema's paths are property keys). */
export function fieldOfPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The path an issue's `field` names, array indexes as numbers: "request.filters.0.value" → ["request", "filters", 0, "value"]. */
export function pathOfField(field: string): (string | number)[] {
  return field === '' ? [] : field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
