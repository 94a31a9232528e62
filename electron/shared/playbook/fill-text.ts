const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

/**
 * Step text with the incident's parameter values in place of their `{{placeholders}}`, for reading (not for commands,
 * which quote per language). A parameter not set yet keeps its placeholder, so the reader sees what is missing.
 */
export function fillText(text: string, params: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => params[name]?.trim() || whole);
}

/** The text with every placeholder filled, or null while one of them is not set. */
export function filledOrNull(text: string, params: Readonly<Record<string, string>>): string | null {
  let unset = false;
  const out = text.replace(PLACEHOLDER, (_, name: string) => {
    const v = params[name]?.trim();
    if (!v) unset = true;
    return v ?? '';
  });
  return unset || !out.trim() ? null : out.trim();
}
