// The quiz's pure rules: which question comes next, and what a key press answers.

export type QuizAnswer = number | 'not_sure';

/** The first unanswered position at or after `from`, wrapping; null when every item is answered. */
export function nextUnanswered(answers: ReadonlyArray<QuizAnswer | null>, from = 0): number | null {
  const n = answers.length;
  for (let k = 0; k < n; k++) {
    const i = (from + k) % n;
    if (answers[i] === null) return i;
  }
  return null;
}

/** 1–9 pick the choice in that slot; 0 (or ?) is "not sure"; anything else nothing. */
export function answerForKey(key: string, choiceIds: readonly number[]): QuizAnswer | null {
  if (key === '0' || key === '?') return 'not_sure';
  if (/^[1-9]$/.test(key)) return choiceIds[Number(key) - 1] ?? null;
  return null;
}

/** An accuracy (0–1, or null before any answer) as a whole percent. */
export function formatAccuracy(accuracy: number | null): string {
  return accuracy === null || !Number.isFinite(accuracy) ? '—' : `${Math.round(accuracy * 100)} %`;
}
