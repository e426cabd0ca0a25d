// A step that refuses a signal throws a Skip: the reason is what the decision records.
export class Skip {
  constructor(readonly reason: string, readonly detail: Record<string, unknown> = {}) {}
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
