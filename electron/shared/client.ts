import type { ApiInput, ApiMethod, ApiOutput } from './contract/index';
import type { Result } from './result';

/** The one object the renderer sees, whichever transport carries it. Exposed as window.firebreak in Electron. */
export interface FirebreakBridge {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>>;
}
