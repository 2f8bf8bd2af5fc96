/** Text as HTML, safe inside elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// One style for every page ghsql writes: inline, so a page opens the same with no network.
const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #4c78a8; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 1.5em; }
h1 { font-size: 1.3em; margin: 0 0 .6em; } h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border-bottom: 1px solid var(--line); padding: .25em .7em; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
td { font-variant-numeric: tabular-nums; }
figure { margin: .5em 0 1.5em; } figcaption { color: var(--muted); font-size: .9em; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", sans-serif; fill: var(--ink); }
.muted { color: var(--muted); }
`;

/** A whole self-contained HTML file: no script, no stylesheet or font fetched. */
export function htmlDocument(title: string, body: string, extraStyle = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ghsql">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${extraStyle}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
