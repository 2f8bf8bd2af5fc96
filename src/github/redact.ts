/**
 * A function that removes the token from text that is about to leave the client (an error message,
 * a trace line): the last line of defence for text that came from elsewhere, such as a server's
 * error body or a URL from a Link header. The token's percent-encoded form is removed too.
 */
export function redactor(token: string | undefined): (text: string) => string {
  if (!token) return (text) => text;
  const forms = [...new Set([token, encodeURIComponent(token)])];
  return (text) => forms.reduce((result, form) => result.split(form).join('[REDACTED]'), text);
}

/**
 * A value from a server, as a message quotes it: whole when at most `max` characters, else by its
 * length only. Never cut: a cut-off value could show part of a secret that redaction would not recognise.
 */
export function quotedWhole(value: string, max: number): string {
  return value.length <= max ? JSON.stringify(value) : `(a ${value.length}-character value)`;
}
