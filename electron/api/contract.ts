// THE contract between the renderer and the app: every method with its request and
// response, every event with its payload. The preload bridge, the IPC handlers, the
// web bridge and the renderer's client are all derived from these two objects, so a
// method added here is available everywhere and validated everywhere.
import { z } from 'zod';
import { curationMethods } from './curation-methods.js';
import { evaluateMethods } from './evaluate-methods.js';
import { exportMethods } from './export-methods.js';
import { ExportProgress } from './export-schemas.js';
import { EvaluationProgress } from './evaluate-schemas.js';
import { predictMethods } from './predict-methods.js';
import { PredictProgress } from './predict-schemas.js';
import { splitMethods } from './split-methods.js';
import { trainMethods } from './train-methods.js';
import { BackboneProgress, TrainProgress } from './train-schemas.js';
import {
  AppInfo,
  ClassInfo,
  DirEntry,
  Id,
  ImageDetail,
  ImageFilter,
  ImageTile,
  ImportError,
  ImportProgress,
  ImportSource,
  ImportSummary,
  PathString,
  ProjectSummary,
  RecentProject,
} from './schemas.js';

const Empty = z.object({}).strict();

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const methods = {
  'app.info': method(Empty, AppInfo),

  'project.create': method(
    z.object({ dir: PathString, name: z.string().trim().min(1).max(200).optional() }).strict(),
    ProjectSummary,
  ),
  'project.open': method(z.object({ dir: PathString }).strict(), ProjectSummary),
  'project.close': method(Empty, z.object({ closed: z.boolean() })),
  'project.current': method(Empty, ProjectSummary.nullable()),
  'project.recent': method(Empty, z.array(RecentProject)),

  /** Lists a folder's sub-folders and images: the folder picker of the browser UI. */
  'fs.list': method(
    z.object({ dir: PathString }).strict(),
    z.object({ dir: z.string(), parent: z.string().nullable(), entries: z.array(DirEntry) }),
  ),
  /** Opens the system's folder dialog; null where there is none (the browser UI). */
  'dialog.pickFolder': method(
    z.object({ title: z.string().max(200).optional() }).strict(),
    z.object({ path: z.string().nullable() }),
  ),

  'import.start': method(
    z.object({ source: ImportSource }).strict(),
    z.object({ importId: Id }),
  ),
  'import.cancel': method(z.object({ importId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  /** The bad files of one import, or of the most recent one. */
  'import.errors': method(
    z.object({ importId: Id.optional() }).strict(),
    z.object({ importId: Id.nullable(), errors: z.array(ImportError) }),
  ),
  /** The import that is running now, if any, so a reopened window can show its progress. */
  'import.active': method(Empty, ImportProgress.nullable()),

  'classes.list': method(
    Empty,
    z.object({ classes: z.array(ClassInfo), unlabeled: z.number().int(), total: z.number().int() }),
  ),

  'images.page': method(
    z
      .object({
        filter: ImageFilter.default({}),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
      })
      .strict(),
    z.object({ total: z.number().int(), offset: z.number().int(), items: z.array(ImageTile) }),
  ),
  'images.get': method(z.object({ id: Id }).strict(), ImageDetail),

  ...curationMethods,
  ...splitMethods,
  ...trainMethods,
  ...evaluateMethods,
  ...exportMethods,
  ...predictMethods,
} as const;

export const events = {
  'import.progress': ImportProgress,
  'import.finished': ImportSummary,
  /** The project's images or classes changed (import, later labeling): views reload. */
  'project.changed': z.object({ reason: z.string() }),
  /** A training run's progress: status, phase, batch, epoch and end, each naming the backend. */
  'train.progress': TrainProgress,
  /** An evaluation's progress, then its end ('done' or 'failed'). */
  'evaluate.progress': EvaluationProgress,
  /** An export's progress (writing, then the parity check), then its end ('done' or 'failed'). */
  'export.progress': ExportProgress,
  /** A backbone download's progress. */
  'backbones.progress': BackboneProgress,
  /** A prediction's progress ('reading', 'features', 'predicting'), then its end ('done' or 'failed'). */
  'predict.progress': PredictProgress,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Request<M extends MethodName> = z.input<Methods[M]['request']>;
export type ParsedRequest<M extends MethodName> = z.output<Methods[M]['request']>;
export type Response<M extends MethodName> = z.output<Methods[M]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** What the renderer sees, however it is connected (preload or web bridge). */
export interface HoldoutApi {
  call<M extends MethodName>(method: M, request: Request<M>): Promise<Response<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The implementation side: one handler per method, receiving a validated request. */
export type Handlers = {
  [M in MethodName]: (request: ParsedRequest<M>) => Promise<Response<M>> | Response<M>;
};

/** Where handlers publish events; each transport forwards them its own way. */
export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
