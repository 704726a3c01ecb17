/**
 * Validation errors shaped like apimachinery's field.Error, so messages read exactly as
 * kube-scheduler prints them (`scoringStrategy.resources[0].weight: Invalid value: 0: …`).
 * Plugin factories turn the first one into a PluginArgsError; helpers return lists so a caller
 * can report every problem at once.
 */
import { PluginArgsError } from '../../scheduler/framework/interfaces.js';

export interface FieldError {
  /** Field path as upstream's field.Path prints it (`a.b[0].c`). */
  field: string;
  /** The error body after the path (`Invalid value: 0: must be 1`). */
  message: string;
}

/** Go's `%#v`/`%q`/`%v` rendering of a bad value, as field.Error.ErrorBody does. */
export function formatBadValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  }
  if (value === undefined || value === null) return '<nil>';
  return JSON.stringify(value);
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { field, message: `Invalid value: ${formatBadValue(value)}: ${detail}` };
}

export function required(field: string, detail: string): FieldError {
  return { field, message: `Required value: ${detail}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { field, message: `Forbidden: ${detail}` };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { field, message: `Duplicate value: ${formatBadValue(value)}` };
}

export function notSupported(
  field: string,
  value: unknown,
  supported: readonly string[],
): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return {
    field,
    message: `Unsupported value: ${formatBadValue(value)}: supported values: ${list}`,
  };
}

/** Throws the first error as a PluginArgsError (config mistakes are exceptions, not statuses). */
export function throwFirst(plugin: string, errors: readonly FieldError[]): void {
  const first = errors[0];
  if (first) throw new PluginArgsError(plugin, first.field, first.message);
}

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character" +
  ` (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME_FMT}')`;

/** apimachinery validation.IsQualifiedName (label keys, resource names): the error details. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 bytes');
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) {
        errs.push(
          "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
            `and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN_FMT}')`,
        );
      }
    }
  } else {
    return [
      `a qualified name ${QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 bytes');
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${QUALIFIED_NAME_MSG}`);
  return errs;
}

/** metav1validation.ValidateLabelName. */
export function labelNameErrors(value: string, field: string): FieldError[] {
  return qualifiedNameErrors(value).map((msg) => invalid(field, value, msg));
}
