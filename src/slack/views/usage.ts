// A usage error's private answer: what was wrong, then the form's usage in a code block, long lines folded at a space
// so nothing runs off the side of Slack's code block.
import type { UsageError } from '../../core/commands.js';

/** Slack's code blocks do not wrap on narrow screens: fold usage lines longer than this. */
const WIDTH = 72;

export function foldUsageLine(line: string, width = WIDTH): string {
  if (line.length <= width) return line;
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && (current + ' ' + word).length > width) {
      out.push(current);
      current = `    ${word}`;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) out.push(current);
  return out.join('\n');
}

export function usageReply(err: UsageError): { response_type: 'ephemeral'; text: string } {
  const usage = err.formUsage.split('\n').map((l) => foldUsageLine(l)).join('\n');
  return { response_type: 'ephemeral', text: `:warning: ${err.problem}\n\`\`\`\n${usage}\n\`\`\`` };
}
