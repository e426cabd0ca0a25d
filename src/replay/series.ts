// What a replay report draws: account figures over the data's time (at most one point a minute,
// plus one after every fill), the price (one mid a minute), and the fills marked as entries,
// exits, balancer actions and broker closes. Collected only when asked (--html), so a plain
// replay pays nothing for it.
import { round } from "../core/round.ts";

export type MarkKind = "entry" | "exit" | "balancer" | "close";

export interface ReplaySeries {
  /** [epoch ms, NAV, margin used, balance] */
  account: Array<[number, number, number, number]>;
  /** [epoch ms, mid] */
  price: Array<[number, number]>;
  marks: Array<{ t: number; kind: MarkKind; side: "buy" | "sell"; units: number; price: number | null; who: string }>;
  /** Margin used / NAV at which the broker closes everything (OANDA Japan 1; the 50% rule 2). */
  lossCutRatio: number;
  budgetRatio: number;
}

const MINUTE = 60_000;

export class SeriesRecorder {
  readonly series: ReplaySeries;
  #lastAccountMinute = -1;
  #lastPriceMinute = -1;

  constructor(budgetRatio: number) {
    this.series = { account: [], price: [], marks: [], lossCutRatio: 1, budgetRatio };
  }

  account(t: number, n: { nav: number; marginUsed: number; balance: number; marginCloseoutPercent?: number }, force = false): void {
    const minute = Math.floor(t / MINUTE);
    // The broker's closeout figure reads used/NAV (Japan) or used/(2 NAV) (50% rule): their ratio
    // says where the loss-cut is on the usage scale.
    if (n.marginUsed > 0 && n.nav > 0 && (n.marginCloseoutPercent ?? 0) > 0) {
      this.series.lossCutRatio = Math.round(((n.marginUsed / n.nav) / n.marginCloseoutPercent!) * 100) / 100;
    }
    if (!force && minute === this.#lastAccountMinute) return;
    this.#lastAccountMinute = minute;
    const last = this.series.account.at(-1);
    const point: [number, number, number, number] = [t, round(n.nav), round(n.marginUsed), round(n.balance)];
    if (last && last[0] === t) this.series.account[this.series.account.length - 1] = point;
    else this.series.account.push(point);
  }

  price(t: number, mid: number): void {
    const minute = Math.floor(t / MINUTE);
    if (minute === this.#lastPriceMinute) return;
    this.#lastPriceMinute = minute;
    this.series.price.push([t, mid]);
  }

  mark(m: ReplaySeries["marks"][number]): void {
    this.series.marks.push(m);
  }
}
