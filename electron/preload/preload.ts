// The preload of every app window (bundled to dist/electron/preload/preload.cjs, since a
// sandboxed preload cannot load files). It exposes window.api and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildPreloadApi } from './build-api.js';

const api = buildPreloadApi(
  ipcRenderer,
  // webUtils replaced File.path (removed in Electron 32); the page hands a dropped File.
  (file) => webUtils.getPathForFile(file as File),
  (message, err) => console.error(`holdout: ${message}`, err),
);

contextBridge.exposeInMainWorld('api', api);
