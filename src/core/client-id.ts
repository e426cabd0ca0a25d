// Client ids (OANDA's clientExtensions.id, at most 128 characters): derived from the signal id,
// so a retry or a restart names the same order and the broker can be asked about it by id, and
// the legs of one signal (a position close's two sides, closes by trade id, a pair close's legs)
// each get their own. Distinct inputs must give distinct ids: two orders sharing one would share
// one journal row, and the second's fill would have none. An id too long to fit is folded into a
// hash, which is stable but cannot be reversed.

/** Every client id sekisho gives an order starts so: the ledger tells its orders from anyone else's by it. */
export const SEKISHO_CLIENT_ID_PREFIX = "sk-";
/** OANDA allows at most this many characters in clientExtensions.id. */
const MAX_CLIENT_ID = 128;
/** Characters a signal id keeps in its client id; any other becomes `_`. */
const UNSAFE = /[^A-Za-z0-9_.:-]/g;
/** The shape of a client id folded to fit (`sk-<fnv1a hex>-<last 100 characters>`), see fit(). */
const FOLDED = /^sk-[0-9a-f]{1,8}-[A-Za-z0-9_.:-]{100}$/;

/** Derive OANDA's clientExtensions.id from a signal id. */
export function clientIdForSignal(signalId: string): string {
  return fit(`${SEKISHO_CLIENT_ID_PREFIX}${signalId.replace(UNSAFE, "_")}`);
}

/** One side of a position close (PUT /positions/{instrument}/close): `<base>-L` or `<base>-S`. */
export function positionCloseClientId(base: string, side: "long" | "short"): string {
  return fit(`${base}-${side === "long" ? "L" : "S"}`);
}

/** One close by trade id (PUT /trades/{id}/close; OANDA does not carry it, the journal keys the row by it): `<base>-t<tradeId>`. */
export function tradeCloseClientId(base: string, tradeId: string): string {
  return fit(`${base}-t${tradeId}`);
}

/** The k-th leg of a pair close done by trade ids (its trade closes hang under it): `<base>-<k>`. */
export function pairLegClientId(base: string, k: number): string {
  return fit(`${base}-${k}`);
}

/**
 * An id over OANDA's 128 characters folded to `sk-<hash of the rest>-<its last 100 characters>`:
 * stable (the same input gives the same id after a restart) and, unlike cutting it short, still
 * different for inputs that differ anywhere (a leg's suffix is at the end); no longer reversible.
 */
function fit(id: string): string {
  if (id.length <= MAX_CLIENT_ID) return id;
  const rest = id.startsWith(SEKISHO_CLIENT_ID_PREFIX) ? id.slice(SEKISHO_CLIENT_ID_PREFIX.length) : id;
  return `${SEKISHO_CLIENT_ID_PREFIX}${fnv1a(rest)}-${id.slice(-100)}`;
}

/**
 * The signal id a client id was derived from, as far as the client id can say: undefined when it
 * is not sekisho's, or has the folded shape of a signal id too long for 128 characters (a hash
 * cannot be reversed; a short id of the same shape cannot be told from one). Characters outside
 * `[A-Za-z0-9_.:-]` became `_` on the way in, so such ids come back in that form. The journal row
 * found by client id is the truth; this is only for a row the journal lacks (adoption).
 */
export function signalIdFromClientId(clientId: string): string | undefined {
  if (!clientId.startsWith(SEKISHO_CLIENT_ID_PREFIX) || FOLDED.test(clientId)) return undefined;
  const signalId = clientId.slice(SEKISHO_CLIENT_ID_PREFIX.length);
  return signalId !== "" && clientIdForSignal(signalId) === clientId ? signalId : undefined;
}

/** The base client id of a position close's side, unless the id was folded to fit (undefined). */
export function positionCloseBase(clientId: string): string | undefined {
  return /-[LS]$/.test(clientId) && !FOLDED.test(clientId) ? clientId.slice(0, -2) : undefined;
}

/**
 * The signal id an adopted journal row carries when its client id cannot say which signal it
 * came from: marked as unknown and keyed by the client id. A repeated signal is still refused,
 * by its client id (see signalClientIds).
 */
export function unknownSignalId(clientId: string): string {
  return `unknown:${clientId}`;
}

/**
 * Every client id an order of this signal can carry at the broker (its own, and a position
 * close's two sides; trade closes carry none at OANDA). A signal whose earlier order the journal
 * holds under any of them was decided before, whatever signal id that row could be given.
 */
export function signalClientIds(signalId: string): [string, string, string] {
  const base = clientIdForSignal(signalId);
  return [base, positionCloseClientId(base, "long"), positionCloseClientId(base, "short")];
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
