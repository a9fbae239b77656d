/**
 * A web address as people type it or feeds give it ("www.example.org.uk", "https://…"): the full
 * http(s) address, or undefined when it is not one (another scheme, no domain, over 500 characters).
 */
export function webAddress(raw: string): string | undefined {
  if (!raw || raw.length > 500) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.')) return url.toString();
  } catch {
    // not a URL at all
  }
  return undefined;
}
