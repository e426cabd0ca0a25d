// The dashboard at `/`: the HTML shell, its script and its stylesheet, all embedded in the
// program (./assets.generated.ts), so it works offline and in the single binary. These three
// are static and hold no account data, so they are served without the token even off loopback
// (a browser cannot send a bearer token when it navigates); every figure the page shows comes
// from the API, which keeps its own rules (token off loopback, token for control).
import type { Hono } from "hono";
import { CONSOLE_CSS, CONSOLE_JS } from "./assets.generated.ts";
import { CONSOLE_CSP, consoleHtml } from "./page.ts";

export function registerConsoleRoutes(app: Hono<any, any, any>): void {
  const html = consoleHtml();
  const common = { "Content-Security-Policy": CONSOLE_CSP, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer" };
  app.get("/", (c) => c.body(html, 200, { ...common, "Content-Type": "text/html; charset=utf-8" }));
  app.get("/console/app.js", (c) => c.body(CONSOLE_JS, 200, { ...common, "Content-Type": "text/javascript; charset=utf-8" }));
  app.get("/console/app.css", (c) => c.body(CONSOLE_CSS, 200, { ...common, "Content-Type": "text/css; charset=utf-8" }));
}
