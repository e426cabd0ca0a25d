import { type Command, Option } from "commander";
import { allowedLot, lotLimits } from "../../margin/allowed-lot.ts";
import { closeoutDistance, type CloseoutRule, closeoutUsage, homeSide } from "../../margin/closeout.ts";
import { defaultInstruments } from "../../core/instruments.ts";
import type { MarginModel } from "../../core/types.ts";
import { round } from "../../core/round.ts";
import { writeStdout } from "../../runtime/runtime.ts";
import { loadCliConfig } from "../config.ts";
import { CliError } from "../errors.ts";
import { errorMessage } from "../../core/error-message.ts";

interface SizeOpts {
  nav: string; price: string; marginRate?: string; long: string; short: string; side: "buy" | "sell";
  units?: string; marginModel?: MarginModel; marginUsed?: string; conversion?: string; instrument: string; json?: boolean; home: string;
}

/** A numeric option: finite, >= 0 (or > 0 when `positive`); "" is not a number (Number("") is 0). */
function number(name: string, v: string | undefined, positive = false): number | undefined {
  if (v === undefined) return undefined;
  const n = v.trim() === "" ? Number.NaN : Number(v);
  if (!Number.isFinite(n) || n < 0 || (positive && n === 0)) {
    throw new CliError(`--${name} ${JSON.stringify(v)}: expected a number ${positive ? "> 0" : ">= 0"}`);
  }
  return n;
}

function instrumentSpec(name: string) {
  try {
    return defaultInstruments().get(name.toUpperCase());
  } catch (e) {
    throw new CliError(`--instrument ${JSON.stringify(name)}: ${errorMessage(e)}`);
  }
}

export function registerSize(program: Command): void {
  program
    .command("size")
    .description("what-if calculator: the most units allowed_lot lets you add on one side now")
    .requiredOption("--nav <jpy>", "account NAV in the home currency")
    .requiredOption("--price <p>", "mid price (the base->home conversion for USD_JPY in a JPY account)")
    .option("--margin-rate <r>", "margin rate (default: the instrument's, 0.04 for OANDA Japan)")
    .option("--long <units>", "open long units", "0")
    .option("--short <units>", "open short units", "0")
    .addOption(new Option("--side <side>", "side to add").choices(["buy", "sell"]).makeOptionMandatory())
    .option("--units <n>", "units you would like (default: as many as allowed)")
    .addOption(new Option("--margin-model <model>", "margin model (default: MARGIN_MODEL, auto sizes as max_side)").choices(["net", "max_side"]))
    .option("--margin-used <x>", "broker-reported marginUsed for the account (default: from the model)")
    .option("--conversion <c>", "base->home conversion, required when the home currency is neither the quote nor the base (e.g. EUR_USD in a JPY account: EUR->JPY, OANDA's homeConversions positionValue for EUR)")
    .option("--instrument <name>", "instrument, for unit precision and minimum size", "USD_JPY")
    .option("--home <currency>", "the account's home currency", "JPY")
    .option("--json", "print JSON")
    .action((o: SizeOpts) => {
      const { config } = loadCliConfig();
      const spec = instrumentSpec(o.instrument);
      const model: MarginModel = o.marginModel ?? (config.MARGIN_MODEL === "net" ? "net" : "max_side");
      // NAV, price, rate and conversion of 0 would only ever give "bad_input": say so up front.
      const price = number("price", o.price, true)!;
      const nav = number("nav", o.nav, true)!;
      const r = number("margin-rate", o.marginRate, true) ?? spec.marginRate;
      if (r > 1) throw new CliError(`--margin-rate ${JSON.stringify(o.marginRate)}: expected a fraction in (0, 1], e.g. 0.04 for 4%`);
      const conversion = conversionFor(spec, o.home, price, number("conversion", o.conversion, true));
      const long = number("long", o.long)!;
      const short = number("short", o.short)!;
      const res = allowedLot({
        side: o.side, long, short, nav, conversion, marginRate: r, model,
        marginUsed: number("margin-used", o.marginUsed), unitsPrecision: spec.tradeUnitsPrecision,
        minUnits: spec.minimumTradeSize, requestedUnits: number("units", o.units),
        limits: lotLimits(config),
      });
      const out = {
        instrument: spec.name, side: res.side, model: res.model, maxUnits: res.maxUnits, allowedUnits: res.allowedUnits,
        reason: res.reason, bindingLimit: res.bindingLimit, marginBefore: round(res.marginBefore), marginAfter: round(res.marginAfter),
        usageAfter: round(res.usageAfter, 6), budget: round(res.budget), oneSideMaxUnits: Math.floor(res.oneSideMaxUnits),
        dirCapUnits: Math.floor(res.dirCapUnits), netReducing: res.netReducing, freeMarginRatio: round(res.freeMarginRatio, 6),
        conversion,
        // The broker's loss-cut before and after the entry, under the stricter rule unless CLOSEOUT_RULE says otherwise.
        lossCut: lossCut(config.CLOSEOUT_RULE === "half" ? "half" : "japan", { long, short, side: res.side, units: res.allowedUnits, nav, price, conversion, r, model, pipSize: 10 ** spec.pipLocation, homeSide: homeSide(spec.base, spec.quote, o.home.toUpperCase()), before: res.marginBefore, after: res.marginAfter }),
      };
      if (o.json) {
        writeStdout(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const rows: [string, string][] = [
        ["instrument", out.instrument], ["side", out.side], ["margin model", out.model],
        ["max units", fmt(out.maxUnits)], ["allowed units", fmt(out.allowedUnits)], ["reason", `${out.reason} (bound by ${out.bindingLimit})`],
        ["margin before", fmt(out.marginBefore)], ["margin after", fmt(out.marginAfter)], ["usage after", `${(out.usageAfter * 100).toFixed(2)}%`],
        ["margin budget", fmt(out.budget)], ["one-side max", fmt(out.oneSideMaxUnits)], ["direction cap", fmt(out.dirCapUnits)],
        ["net-reducing", String(out.netReducing)],
        ["loss-cut rule", out.lossCut.rule],
        ["usage (rule)", `${(out.lossCut.usageBefore * 100).toFixed(2)}% before, ${(out.lossCut.usageAfter * 100).toFixed(2)}% after`],
        ["loss-cut pips", `${pips(out.lossCut.pipsBefore)} before, ${pips(out.lossCut.pipsAfter)} after`],
      ];
      writeStdout(rows.map(([k, v]) => `${k.padEnd(15)} ${v}`).join("\n") + "\n");
    });
}

/**
 * c, the base->home factor. A home-quoted pair's price is its conversion (USD_JPY in a JPY
 * account); a home-based pair's is 1; any other pair needs --conversion: the price of EUR_USD is
 * not a conversion to JPY, and using it as one sizes about 150 times too large.
 */
function conversionFor(spec: { name: string; base: string; quote: string }, homeOpt: string, price: number, given: number | undefined): number {
  const home = homeOpt.toUpperCase();
  if (!/^[A-Z]{3}$/.test(home)) throw new CliError(`--home ${JSON.stringify(homeOpt)}: expected a currency code such as JPY`);
  if (given !== undefined) return given;
  if (spec.quote === home) return price;
  if (spec.base === home) return 1;
  throw new CliError(`--conversion is required for ${spec.name} on a ${home} account: give the ${spec.base}->${home} factor (OANDA's homeConversions positionValue for ${spec.base}); the price is not a conversion`);
}

function lossCut(rule: CloseoutRule, x: { long: number; short: number; side: "buy" | "sell"; units: number; nav: number; price: number; conversion: number; r: number; model: MarginModel; pipSize: number; homeSide: ReturnType<typeof homeSide>; before: number; after: number }) {
  const acct = (marginUsed: number) => ({ nav: x.nav, marginUsed, model: x.model, rule });
  const pos = (long: number, short: number) => ({ long, short, price: x.price, conversion: x.conversion, marginRate: x.r, pipSize: x.pipSize, homeSide: x.homeSide });
  const [L2, S2] = x.side === "buy" ? [x.long + x.units, x.short] : [x.long, x.short + x.units];
  const p = (v: number | null) => (v === null ? null : round(v, 1));
  return {
    rule, usageBefore: round(closeoutUsage(rule, x.before, x.nav), 6), usageAfter: round(closeoutUsage(rule, x.after, x.nav), 6),
    pipsBefore: p(closeoutDistance(pos(x.long, x.short), acct(x.before)).pips), pipsAfter: p(closeoutDistance(pos(L2, S2), acct(x.after)).pips),
  };
}

const pips = (v: number | null) => (v === null ? "none" : `${fmt(v)} pips`);
const fmt = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 2 });
