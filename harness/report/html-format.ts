// Small formatting helpers shared by the report.html views: escaping, durations, and the visible marker for a
// value the run's evidence cannot tell (never 0 or a dash pretending to be a value).
export const escapeHtml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Escapes, then renders `backquoted` spans as code (the failure modes' texts quote headers and flags that way). */
export const prose = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The unknown marker: '?' (or a word) with its reason on hover; the views also print the reason beside it. */
export const unknown = (reason: string, text = '?') => `<abbr class="unknown" title="${escapeHtml(reason)}">${escapeHtml(text)}</abbr>`;

/** The distinguishing tail of a pod name (`<replicaset hash>-<suffix>`), so the label fits beside the lane. */
export function shortPodName(pod: string): string {
  const tail = pod.split('-').slice(-2).join('-');
  return tail.length <= 20 ? tail : tail.slice(-20);
}
