// Learning the loss-cut rule from the broker's marginCloseoutPercent.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HALF_CONFIRMATIONS, initialCloseoutRule, judgeCloseoutRule, observeCloseoutRule } from "../../src/margin/closeout-rule.ts";

describe("judgeCloseoutRule", () => {
  it("OANDA Japan's live readings say japan (percent = used / NAV)", () => {
    expect(judgeCloseoutRule({ marginUsed: 53_043.4, nav: 58_383.1, marginCloseoutPercent: 0.90854 })?.verdict).toBe("japan");
    expect(judgeCloseoutRule({ marginUsed: 36_129.8, nav: 38_321.7, marginCloseoutPercent: 0.9428 })?.verdict).toBe("japan");
  });

  it("half the usage says the UK/global rule; tiny usage or nonsense says nothing", () => {
    expect(judgeCloseoutRule({ marginUsed: 100_000, nav: 500_000, marginCloseoutPercent: 0.1 })?.verdict).toBe("half");
    expect(judgeCloseoutRule({ marginUsed: 100, nav: 500_000, marginCloseoutPercent: 0.0001 })).toBeUndefined();
    expect(judgeCloseoutRule({ marginUsed: 100_000, nav: 500_000, marginCloseoutPercent: 0.14 })).toBeUndefined();
    expect(judgeCloseoutRule({ marginUsed: 0, nav: 500_000, marginCloseoutPercent: 0 })).toBeUndefined();
  });
});

describe("observeCloseoutRule", () => {
  const half = { marginUsed: 100_000, nav: 500_000, marginCloseoutPercent: 0.1 };
  const japan = { marginUsed: 100_000, nav: 500_000, marginCloseoutPercent: 0.2 };

  it("auto assumes japan (the stricter) and relaxes to half only after repeated evidence", () => {
    let s = initialCloseoutRule("auto");
    expect(s.inForce).toBe("japan");
    for (let i = 1; i < HALF_CONFIRMATIONS; i++) {
      s = observeCloseoutRule(s, half, i);
      expect(s.inForce).toBe("japan");
    }
    s = observeCloseoutRule(s, half, 9);
    expect(s.inForce).toBe("half");
    expect(s.note).toMatch(/half the margin/);
    // One japan reading goes back at once.
    s = observeCloseoutRule(s, japan, 10);
    expect(s.inForce).toBe("japan");
  });

  it("a fixed setting never moves", () => {
    const s = initialCloseoutRule("half");
    expect(observeCloseoutRule(s, japan, 1)).toBe(s);
  });

  it("property: after any japan reading auto is japan", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 20 }), (seq) => {
        let s = initialCloseoutRule("auto");
        for (const h of seq) s = observeCloseoutRule(s, h ? half : japan, 0);
        s = observeCloseoutRule(s, japan, 0);
        expect(s.inForce).toBe("japan");
      }),
      { seed: 41 },
    );
  });
});
