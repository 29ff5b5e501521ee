// Run ids: sortable, short, valid inside a namespace name.
export function newRunId(now = new Date(), random = Math.random): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(2, 14); // yymmddhhmmss
  return `${stamp}-${Math.floor(random() * 36 ** 3).toString(36).padStart(3, '0')}`;
}
