// A step that refuses a signal throws a Skip: the reason is what the decision records.
export class Skip {
  constructor(readonly reason: string, readonly detail: Record<string, unknown> = {}) {}
}
