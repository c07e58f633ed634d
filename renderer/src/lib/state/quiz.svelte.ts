// "Try it yourself": the user labels N images (drawn by the app from the labeled,
// non-test images, shown without their labels) and sees how well a person does —
// overall, per class, the mix-ups and the images missed. Answers are saved as given.
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../api/client.js';
import { messageOf } from '../errors.js';
import { nextUnanswered, type QuizAnswer } from '../quiz/quiz.js';

type Session = Response<'quiz.get'>;
type Score = Response<'quiz.result'>;
type Summary = Response<'quiz.list'>['sessions'][number];

export const DEFAULT_QUIZ_SIZE = 30;

export class QuizState {
  readonly #api: HoldoutClient;
  #session = $state.raw<Session | null>(null);
  #position = $state(0);
  #score = $state.raw<Score | null>(null);
  #past = $state.raw<Summary[]>([]);
  #busy = $state(false);
  #error = $state<string | null>(null);

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get session(): Session | null {
    return this.#session;
  }
  get position(): number {
    return this.#position;
  }
  get item(): Session['items'][number] | undefined {
    return this.#session?.items[this.#position];
  }
  get score(): Score | null {
    return this.#score;
  }
  get past(): Summary[] {
    return this.#past;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }
  get answeredCount(): number {
    return this.#session?.items.filter((i) => i.answer !== null).length ?? 0;
  }

  async loadPast(): Promise<void> {
    try {
      this.#past = (await this.#api.call('quiz.list', {})).sessions;
    } catch (err) {
      this.#error = messageOf(err);
    }
  }

  async start(size: number): Promise<void> {
    await this.#guard(async () => {
      const session = await this.#api.call('quiz.start', { size });
      this.#score = null;
      this.#session = session;
      this.#position = nextUnanswered(session.items.map((i) => i.answer)) ?? 0;
    });
  }

  /** Shows a past quiz: its result when finished, else where it was left. */
  async open(sessionId: number): Promise<void> {
    await this.#guard(async () => {
      const session = await this.#api.call('quiz.get', { sessionId });
      this.#session = session;
      const next = nextUnanswered(session.items.map((i) => i.answer));
      if (next === null || session.finishedAt) {
        this.#score = await this.#api.call('quiz.result', { sessionId });
      } else {
        this.#score = null;
        this.#position = next;
      }
    });
  }

  async answer(answer: QuizAnswer): Promise<void> {
    const session = this.#session;
    if (!session || this.#busy || this.#score) return;
    const position = this.#position;
    await this.#guard(async () => {
      const r = await this.#api.call('quiz.answer', { sessionId: session.id, position, answer });
      const items = session.items.map((i) => (i.position === position ? { ...i, answer } : i));
      this.#session = { ...session, items };
      const next = nextUnanswered(
        items.map((i) => i.answer),
        position + 1,
      );
      if (r.finished || next === null) {
        this.#score = await this.#api.call('quiz.result', { sessionId: session.id });
        await this.loadPast();
      } else {
        this.#position = next;
      }
    });
  }

  /** Back to the start screen (a quiz left half-way can be picked up from the list). */
  close(): void {
    this.#session = null;
    this.#score = null;
    void this.loadPast();
  }

  async #guard(action: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      await action();
    } catch (err) {
      this.#error = messageOf(err);
    } finally {
      this.#busy = false;
    }
  }
}
