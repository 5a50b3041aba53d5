import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error type the API throws; `onError` renders it as `{ error: { code, message, requestId } }`. */
export class ApiError extends HTTPException {
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: ContentfulStatusCode, code: string, message: string, field?: string) {
    super(status, { message });
    this.code = code;
    this.field = field;
  }
}
