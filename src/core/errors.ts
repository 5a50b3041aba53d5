/** Error codes shared by the CLI, API and connectors. */
export const ErrorCode = {
  ConfigInvalid: 'config_invalid',
  InputInvalid: 'input_invalid',
  InputUnreadable: 'input_unreadable',
  DetectorInvalid: 'detector_invalid',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class LeakwatchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LeakwatchError';
    this.code = code;
  }
}
