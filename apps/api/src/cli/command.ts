export type TCommand = {
  /** Shown by `--help`: what it does and its options. */
  help: string;
  /** Returns the exit code; throws AppError for a failure the operator can fix. */
  run: (args: string[]) => Promise<number>;
};
