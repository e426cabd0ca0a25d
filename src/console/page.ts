// The dashboard's HTML shell. Everything it shows comes from the agent's JSON API, fetched by
// the bundled script (./client), so the shell carries no data and no secret.
/**
 * Strict: only this origin's script and API, no frames, no other hosts. Inline style attributes
 * are allowed (the chart library positions its canvases with them); inline script is not.
 */
export const CONSOLE_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join("; ");

/** The shell; `assetsVersion` (the assets' content hash) makes browsers fetch new assets after an upgrade. */
export function consoleHtml(assetsVersion: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>sekisho console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/app.css?v=${assetsVersion}">
</head>
<body>
<div id="app"><noscript>The sekisho console needs JavaScript. The same figures: GET /health, /positions, /orders, /signals.</noscript></div>
<script src="/console/app.js?v=${assetsVersion}"></script>
</body>
</html>
`;
}
