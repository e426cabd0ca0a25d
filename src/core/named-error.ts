// An Error whose `name` says what kind it is, set once here. Callers (and the HTTP layer, which
// maps some kinds to 4xx answers) tell errors apart by that name, so it is given explicitly: a
// bundler may rename the class itself.
export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
