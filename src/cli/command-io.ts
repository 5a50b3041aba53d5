/** What a CLI command may touch besides files: injected so commands are testable in-process. */
export interface CommandIo {
  stdout(line: string): void;
  stderr(line: string): void;
  readStdin(): Uint8Array;
  env: NodeJS.ProcessEnv;
  version: string;
}
