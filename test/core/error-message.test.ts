import { describe, expect, it } from "vitest";
import { errorMessage } from "../../src/core/error-message.ts";

describe("errorMessage", () => {
  it("reads an Error's message (a subclass's too) and turns anything else thrown into a string", () => {
    expect(errorMessage(new TypeError("bad input"))).toBe("bad input");
    expect(errorMessage("plain string")).toBe("plain string");
    expect(errorMessage(42)).toBe("42");
    expect(errorMessage(undefined)).toBe("undefined");
    expect(errorMessage({ code: "E" })).toBe("[object Object]");
  });
});
