// Shared by the LogHub benches: where the message starts in a raw line, per the dataset's log_format.

/** The regex logparser builds from a log_format (Drain.generate_logformat_regex). */
export function formatRegex(logFormat) {
  const parts = logFormat.split(/(<[^<>]+>)/);
  let re = '';
  for (const p of parts) {
    if (p.startsWith('<') && p.endsWith('>') && p.length > 2) re += `(?<${p.slice(1, -1)}>.*?)`;
    else re += p.replace(/ +/g, '\\s+');
  }
  return new RegExp('^' + re + '$');
}
