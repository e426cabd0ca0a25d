// sekisho's clientExtensions.tag, "sekisho:<pocket>:<strategy>": written on every order sekisho
// sends, read back to tell its own trades (and their pocket and strategy) from anyone else's.
// One codec for the agent, the ledger and replay, so they cannot disagree about whose a trade is.
import type { Pocket } from "./types.ts";

const TAG_PREFIX = "sekisho";

/** The pockets sekisho opens trades in (`manual` is what the others are read as, never written). */
export type OwnPocket = Exclude<Pocket, "manual">;

const OWN_TAG = /^sekisho:(macro|micro|scalp|scalp_fast):(.*)$/;

/** The tag for an order of `pocket` and `strategy`, cut to OANDA's 128 characters. */
export function makeTag(pocket: Pocket, strategy: string): string {
  return `${TAG_PREFIX}:${pocket}:${strategy}`.slice(0, 128);
}

/** Pocket and strategy of a tag sekisho wrote; undefined for any other tag (a trade sekisho did not open). */
export function readTag(tag: unknown): { pocket: OwnPocket; strategy: string } | undefined {
  const m = typeof tag === "string" ? OWN_TAG.exec(tag) : null;
  return m ? { pocket: m[1] as OwnPocket, strategy: m[2]! } : undefined;
}

/** The pocket a trade belongs to: its tag's, or `manual` for a trade sekisho did not open. */
export function pocketFromTag(tag: unknown): { pocket: Pocket; strategy?: string } {
  return readTag(tag) ?? { pocket: "manual" };
}
