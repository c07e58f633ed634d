// Registers one ipcMain.handle channel per contract method, each behind the sender
// gate and the contract's dispatch (method check, request schema, errors as values).
// Takes an ipcMain-like object so the wiring is tested without Electron.
import { methodNames, type Handlers } from '../../api/contract.js';
import { dispatch, type DispatchResult } from '../../api/dispatch.js';
import { IPC_CALL_PREFIX } from '../../api/window-api.js';
import type { GateResult } from './sender-gate.js';

/** The part of Electron's ipcMain used here (`handle` / `removeHandler`). */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface RegisterIpcOptions<E> {
  handlers: Handlers;
  gate(event: E): GateResult;
  /** Where a refused sender is reported. */
  log?(message: string): void;
}

/** Registers every channel; returns a function that removes them again. */
export function registerIpc<E>(ipc: IpcMainLike<E>, options: RegisterIpcOptions<E>): () => void {
  const channels: string[] = [];
  for (const method of methodNames) {
    const channel = IPC_CALL_PREFIX + method;
    ipc.handle(channel, async (event: E, ...args: unknown[]): Promise<DispatchResult> => {
      const verdict = options.gate(event);
      if (!verdict.ok) {
        options.log?.(`ipc ${method} refused: ${verdict.reason}`);
        // Answered, not thrown: the result shape stays the contract's, and the refusal
        // says no more than that the call was not allowed.
        return { ok: false, error: { code: 'forbidden', message: 'this caller may not use the API' } };
      }
      // Only the first argument is the request; anything further is ignored.
      return dispatch(options.handlers, method, args[0]);
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipc.removeHandler(channel);
  };
}
