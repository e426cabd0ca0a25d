// Response schemas document the API (GET /openapi.json); no response is validated against them.
// They are most of the HTTP layer's zod schemas (a few thousand objects), so they are imported
// on the first request for the document, not when the agent starts: a route's `responses` is a
// lazy object, built from the loaded schemas when the document generator first reads it.
// Request schemas (queries, parameters, bodies) validate every request and are loaded at start.
import type * as Control from "../schemas/control-views.ts";
import type * as Health from "../schemas/health.ts";
import type * as Journal from "../schemas/journal-views.ts";
import type * as Ledger from "../schemas/ledger-views.ts";
import type * as Positions from "../schemas/positions.ts";

export interface ResponseSchemas {
  control: typeof Control;
  health: typeof Health;
  journal: typeof Journal;
  ledger: typeof Ledger;
  positions: typeof Positions;
}

let loaded: ResponseSchemas | undefined;

/** Import the response schemas (once); GET /openapi.json awaits this before generating. */
export async function loadResponseSchemas(): Promise<ResponseSchemas> {
  loaded ??= {
    control: await import("../schemas/control-views.ts"),
    health: await import("../schemas/health.ts"),
    journal: await import("../schemas/journal-views.ts"),
    ledger: await import("../schemas/ledger-views.ts"),
    positions: await import("../schemas/positions.ts"),
  };
  return loaded;
}

/**
 * A route's responses, built on first use from the loaded schemas. Typed as what `make` returns,
 * so handlers are still checked against the documented shapes at compile time.
 */
export function documented<T extends object>(make: (s: ResponseSchemas) => T): T {
  let built: T | undefined;
  const real = (): T => {
    if (built) return built;
    if (!loaded) throw new Error("a route's responses were read before loadResponseSchemas()");
    return (built = make(loaded));
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(real(), key),
  });
}
