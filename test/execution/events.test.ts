// The order events are delivered in line, in subscription order; a listener that throws fails
// the publisher (execution never sends an order whose reservation could not be counted), after
// every other listener has seen the event.
import { describe, expect, it } from "vitest";
import { OrderEvents } from "../../src/execution/events.ts";
import type { OrderEvent } from "../../src/core/order-events.ts";

const released: OrderEvent = { type: "released", clientId: "sk-1", status: "filled" };

describe("order events", () => {
  it("reach every listener in order, before publish returns; unsubscribe stops them", () => {
    const bus = new OrderEvents();
    const seen: string[] = [];
    const stop = bus.subscribe((e) => seen.push(`a:${e.type}`));
    bus.subscribe((e) => seen.push(`b:${e.type}`));
    bus.publish(released);
    expect(seen).toEqual(["a:released", "b:released"]);
    stop();
    bus.publish(released);
    expect(seen).toEqual(["a:released", "b:released", "b:released"]);
  });

  it("a listener that throws fails the publisher, after the others have seen the event", () => {
    const bus = new OrderEvents();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error("broken follower");
    });
    bus.subscribe((e) => seen.push(e.type));
    expect(() => bus.publish(released)).toThrow("broken follower");
    expect(seen).toEqual(["released"]);
  });
});
