// The dashboard at `/`: the HTML shell, its script and its stylesheet, all embedded in the
// program (./assets.generated.ts), so it works offline and in the single binary. These three
// are static and hold no account data, so they are served without the token even off loopback
// (a browser cannot send a bearer token when it navigates); every figure the page shows comes
// from the API, which keeps its own rules (token off loopback, token for control).
// The assets (about 400 KB of text, the replay report's included) are imported on the first
// request for the dashboard, not when the agent starts: most agents never serve it.
import type { Hono } from "hono";
import { CONSOLE_CSP, consoleHtml } from "./page.ts";

type Assets = typeof import("./assets.generated.ts");
let assets: Promise<Assets> | undefined;
const loadAssets = (): Promise<Assets> => (assets ??= import("./assets.generated.ts"));

export function registerConsoleRoutes(app: Hono<any, any, any>): void {
  const common = { "Content-Security-Policy": CONSOLE_CSP, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer" };
  app.get("/", async (c) => c.body(consoleHtml((await loadAssets()).ASSETS_VERSION), 200, { ...common, "Content-Type": "text/html; charset=utf-8" }));
  app.get("/console/app.js", async (c) => c.body((await loadAssets()).CONSOLE_JS, 200, { ...common, "Content-Type": "text/javascript; charset=utf-8" }));
  app.get("/console/app.css", async (c) => c.body((await loadAssets()).CONSOLE_CSS, 200, { ...common, "Content-Type": "text/css; charset=utf-8" }));
}
