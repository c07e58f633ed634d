// The single gate every call passes, whatever the transport: the method must exist,
// the request must match its schema; the handler's failures come back as ApiErrors.
import { isMethodName, methods, type Handlers, type MethodName, type Response } from './contract.js';
import { ApiError, fromZodError, toApiError } from './errors.js';

export type DispatchResult =
  | { ok: true; value: unknown }
  | { ok: false; error: ReturnType<ApiError['toJSON']> };

export async function dispatch(handlers: Handlers, method: unknown, request: unknown): Promise<DispatchResult> {
  try {
    return { ok: true, value: await invoke(handlers, method, request) };
  } catch (err) {
    return { ok: false, error: toApiError(err).toJSON() };
  }
}

/** Validates and runs one call; throws ApiError. */
export async function invoke<M extends MethodName>(
  handlers: Handlers,
  method: unknown,
  request: unknown,
): Promise<Response<M>> {
  if (!isMethodName(method)) {
    throw new ApiError('unknown_method', `unknown method ${JSON.stringify(String(method)).slice(0, 100)}`);
  }
  const parsed = methods[method].request.safeParse(request ?? {});
  if (!parsed.success) throw fromZodError(parsed.error, method);
  const handler = handlers[method] as (req: unknown) => Promise<Response<M>> | Response<M>;
  return await handler(parsed.data);
}
