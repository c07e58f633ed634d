// Stands in for Electron's utility process in train-launcher.test.ts: a Node child
// process whose process.parentPort behaves as Electron's does (postMessage out,
// 'message' events carrying { data }), then the real training worker.
type Listener = (event: { data: unknown }) => void;

const port = {
  postMessage: (message: unknown) => void process.send!(message),
  on: (event: string, listener: Listener) => {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
};
(process as unknown as { parentPort: typeof port }).parentPort = port;
await import('../../../electron/engine/train/train-worker.js');
