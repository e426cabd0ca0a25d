// The typed-array deque behaves as a plain array used as a deque, through growth and wrap-around.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { IndexDeque } from "../../src/state/index-deque.ts";

const op = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 1e12 }).map((v) => ({ k: "push" as const, v })) },
  { weight: 2, arbitrary: fc.constant({ k: "popFront" as const }) },
  { weight: 2, arbitrary: fc.constant({ k: "popBack" as const }) },
  { weight: 1, arbitrary: fc.constant({ k: "clear" as const }) },
);

describe("IndexDeque", () => {
  it("property: the same front, back and size as an array", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 3_000 }), (ops) => {
      const d = new IndexDeque();
      let ref: number[] = [];
      for (const o of ops) {
        if (o.k === "push") {
          d.push(o.v);
          ref.push(o.v);
        } else if (o.k === "clear") {
          d.clear();
          ref = [];
        } else if (ref.length > 0) {
          if (o.k === "popFront") {
            d.popFront();
            ref.shift();
          } else {
            d.popBack();
            ref.pop();
          }
        }
        expect(d.size).toBe(ref.length);
        if (ref.length > 0) {
          expect(d.front()).toBe(ref[0]);
          expect(d.back()).toBe(ref[ref.length - 1]);
        }
      }
    }), { numRuns: 100 });
  });
});
