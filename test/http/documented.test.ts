// A route's documented responses are built from the response schemas only once they are loaded
// (on the first GET /openapi.json), and then read like the plain object they stand for.
import { describe, expect, it } from "vitest";
import { documented, loadResponseSchemas } from "../../src/http/routes/documented.ts";

describe("documented responses", () => {
  it("read as the object they stand for once the schemas are loaded", async () => {
    let built = 0;
    const responses = documented((s) => {
      built++;
      return { 200: { description: "ok", schema: s.health.HealthReportSchema }, 404: { description: "missing" } };
    });
    expect(built).toBe(0); // nothing is built while the route is only registered
    const s = await loadResponseSchemas();
    expect(Object.keys(responses)).toEqual(["200", "404"]);
    expect(Object.entries(responses).map(([k, v]) => [k, v.description])).toEqual([["200", "ok"], ["404", "missing"]]);
    expect({ ...responses }[200].schema).toBe(s.health.HealthReportSchema);
    expect("404" in responses).toBe(true);
    expect(built).toBe(1);
  });
});
