// User text is data, never markup. Whatever a person typed — a snapshot's description, a reason, a name — reaches
// EC2 and every later message with Slack's control sequences turned into the words they show: `<!channel>` is
// "@channel", `<@U123|dana>` is "@dana", `<#C123|ops>` is "#ops", `<https://x|click>` is "click". So a description
// can never ping a channel, mention someone or hide a link, wherever it is shown again.

/** Slack's special commands, mentions and channel links: `<!here>`, `<!subteam^S1|@ops>`, `<@U1|dana>`, `<#C1|ops>`. */
const SPECIAL = /<([!@#])([^<>|]*)(?:\|([^<>]*))?>/g;
/** Links: `<https://example.com|label>`, `<mailto:a@b.c>`, and any other `<scheme:…>`. */
const LINK = /<([a-z][a-z0-9+.-]*:[^<>|]*)(?:\|([^<>]*))?>/gi;

export function withoutSlackMarkup(text: string): string {
  let out = text;
  // Repeat: removing one sequence can bring the parts of another together (`<<!here>!channel>`).
  for (let i = 0; i < 5; i++) {
    const next = out
      .replace(LINK, (_m, url: string, label: string | undefined) => (label ? label : url.replace(/^mailto:/i, '')))
      .replace(SPECIAL, (_m, sigil: string, id: string, label: string | undefined) => {
        const shown = (label || id).replace(/^[@#]/, '').replace(/^subteam\^/, '');
        return `${sigil === '#' ? '#' : '@'}${shown}`;
      });
    if (next === out) break;
    out = next;
  }
  return out;
}
