// Maps what node:http reports to the run-data error codes. The distinction that matters most:
// a peer FIN with a request in flight (node says "socket hang up") is the keep-alive race, not an RST.
import type { RequestErrorCode } from '../model/run-data.ts';

export type RequestPhase = 'before-response' | 'during-body';

export function classifyRequestError(error: NodeJS.ErrnoException, phase: RequestPhase): RequestErrorCode {
  if (error.code === 'TIMEOUT') return 'TIMEOUT';
  if (phase === 'during-body') return 'TRUNCATED';
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'ECONNREFUSED';
    case 'ECONNRESET':
      return error.message === 'socket hang up' ? 'SOCKET_CLOSED' : 'ECONNRESET';
    case 'EPIPE':
      return 'EPIPE';
    default:
      return 'OTHER';
  }
}
