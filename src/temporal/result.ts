// What the application client answers when it cannot do what was asked: a reason a caller can act
// on, never a transport status (the HTTP routes map reasons to statuses in one place).
export type FailureReason = 'not_found' | 'conflict' | 'bad_args';

export interface Failure {
  ok: false;
  error: FailureReason;
  /** Says what is wrong in words the user understands. */
  message: string;
}

export const fail = (error: FailureReason, message: string): Failure => ({ ok: false, error, message });
