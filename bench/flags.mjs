/** `--name value` or `--name=value` from the command line; undefined when absent. */
export function flag(name, args = process.argv.slice(2)) {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(name + '='));
  return eq ? eq.slice(name.length + 1) : undefined;
}
