/** Problems found in user input, each with the path of the value it concerns. */
export interface Issue {
  path: string;
  message: string;
}

export class Issues {
  readonly list: Issue[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  get count(): number {
    return this.list.length;
  }
}

export function formatIssue(issue: Issue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** Thrown by loaders when input is invalid; the CLI prints the issues and exits 2. */
export class InputError extends Error {
  constructor(readonly source: string, readonly issues: Issue[]) {
    super(`${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    this.name = 'InputError';
  }
}

/** A bad record in a file of records (a trace): exit 2 with `file:line: reason`. */
export class TraceLineError extends InputError {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(file, [{ path: `line ${line}`, message: reason }]);
    this.message = `${file}:${line}: ${reason}`;
    this.name = 'TraceLineError';
  }
}
