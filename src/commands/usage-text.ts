/**
 * commander's parse errors in our voice: one line, the flag as the user wrote it, "did you mean" for a typo'd
 * option or choice, a fix that names the command's --help. No library text reaches the user unchanged.
 */
import type { CommanderError } from 'commander';
import { closest } from '../config/explain.js';
import { sanitize } from '../errors.js';

/** `command` is the subcommand being parsed (undefined at the top level). */
export function usageLine(e: CommanderError, command: string | undefined): string {
  const help = `helm-cloud ${command ? command + ' ' : ''}--help`;
  const text = e.message.replace(/^error: /, '');
  let m: RegExpExecArray | null;
  if (e.code === 'commander.unknownOption' && (m = /^unknown option '([^']*)'(?:\s*\(Did you mean (\S+?)\?\))?/s.exec(text))) {
    return line(`unknown option ${m[1]}`, m[2] ? `did you mean ${m[2]}? (${help} lists every option)` : `${help} lists every option`);
  }
  if (e.code === 'commander.invalidArgument' && (m = /^option '(?:-\w, )?(--[\w-]+)[^']*' argument '([^']*)' is invalid\. Allowed choices are (.*?)\.?$/s.exec(text))) {
    const choices = m[3]!.split(/,\s*/);
    const near = closest(m[2]!, choices);
    return line(`${m[1]} "${m[2]}" is not one of ${choices.join(', ')}`, near ? `did you mean ${m[1]} ${near}?` : `use one of ${choices.join(', ')}`);
  }
  if (e.code === 'commander.optionMissingArgument' && (m = /^option '(?:-\w, )?(--[\w-]+) (<[^>]+>)' argument missing/.exec(text))) {
    return line(`${m[1]} needs a value`, `write ${m[1]} ${m[2]} (${help})`);
  }
  if (e.code === 'commander.excessArguments' && (m = /^too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)/.exec(text))) {
    return line(`too many arguments: ${command ?? 'helm-cloud'} takes ${m[2]}, got ${m[3]}`, `quote text that holds spaces; see ${help}`);
  }
  return line(text.split('\n')[0]!, `see ${help}`);
}

function line(message: string, fix: string): string {
  return sanitize(`error: ${message.replace(/[.\s]+$/, '')}. Fix: ${fix}`);
}
