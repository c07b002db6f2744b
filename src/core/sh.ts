/** Shell-quotes a value for a copy-paste command line (runbooks quote registry names this way). */
export function sh(v: string | number): string {
  const s = String(v);
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
