// The tag codec: what sekisho writes on an order it reads back as its own, with the same pocket
// and strategy; any other tag is a trade sekisho did not open.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { makeTag, pocketFromTag, readTag } from "../../src/core/tag.ts";

const OWN = ["macro", "micro", "scalp", "scalp_fast"] as const;

describe("tag codec", () => {
  it("reads back the pocket and strategy it wrote", () => {
    fc.assert(fc.property(fc.constantFrom(...OWN), fc.string({ maxLength: 100 }), (pocket, strategy) => {
      expect(readTag(makeTag(pocket, strategy))).toEqual({ pocket, strategy });
      expect(pocketFromTag(makeTag(pocket, strategy))).toEqual({ pocket, strategy });
    }));
  });

  it("stays within OANDA's 128 characters", () => {
    expect(makeTag("micro", "x".repeat(200))).toHaveLength(128);
  });

  it("reads any other tag as a trade sekisho did not open", () => {
    for (const other of ["my own trade", "sekisho:manual:x", "sekisho:hedge:x", "SEKISHO:macro:x", "", undefined, 42]) {
      expect(readTag(other)).toBeUndefined();
      expect(pocketFromTag(other)).toEqual({ pocket: "manual" });
    }
  });
});
