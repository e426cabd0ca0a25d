import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { defaultInstruments, floorUnits, toPips } from "../../src/core/instruments.ts";

describe("instrument arithmetic", () => {
  const jpy = defaultInstruments().get("USD_JPY");
  const eur = defaultInstruments().get("EUR_USD");

  it("a quoted one-pip spread is exactly one pip, so a 1.0-pip limit admits it", () => {
    expect(toPips(jpy, 154.992 - 154.982)).toBe(1);
    expect(toPips(eur, 1.38521 - 1.38511)).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 90_000, max: 200_000 }), fc.integer({ min: 0, max: 50 }), (bidMilli, spreadTenths) => {
        const bid = bidMilli / 1000;
        const ask = (bidMilli + spreadTenths) / 1000;
        expect(toPips(jpy, ask - bid)).toBe(spreadTenths / 10);
      }),
    );
  });

  it("units are floored, never rounded up", () => {
    expect(floorUnits(72_999.99999999999, 0)).toBe(73_000);
    expect(floorUnits(72_999.6, 0)).toBe(72_999);
    expect(floorUnits(-5, 0)).toBe(0);
  });
});
