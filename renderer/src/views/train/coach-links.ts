// From a coach suggestion to the Train form: which field applies it and what value to put
// there. The coach names engine settings ("earlyStopping.patience"); the form has its own
// fields, and a suggestion without a value it can put in ("stronger augmentation") only
// leads to the field, or has no button, instead of pretending to change something.
import type { Response } from '../../../../electron/api/contract.js';
import { MODEL_CHOICES, type FormModelKind, type TrainForm } from './train-form.js';
import { settingOf } from './train-settings.js';

export type CoachFindingView = Response<'runs.coach'>['findings'][number];
export type CoachSuggestionView = CoachFindingView['suggestions'][number];

export type CoachField = 'modelKind' | 'epochs' | 'learningRate' | 'dropout' | 'weightDecay' | 'augmentation' | 'patience' | 'earlyStop';

export interface CoachLink {
  field: CoachField;
  /** The value the field takes; undefined when the suggestion only points at the field. */
  value?: TrainForm[CoachField];
  /** The form field's name in plain words, for the button's tooltip. */
  label: string;
}

const finiteNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function link(field: CoachField, value?: TrainForm[CoachField]): CoachLink {
  const label = settingOf(field).label;
  return value === undefined ? { field, label } : { field, value, label };
}

/** The form field a suggestion applies to, and its value when the coach proposes one; null when no field does it. */
export function coachLink(s: CoachSuggestionView): CoachLink | null {
  switch (s.setting) {
    case 'augmentation':
      // 'default' or a custom strength: on. No value ("stronger", "milder"): the form's on/off
      // switch has no strengths to change, so no button rather than one that changes nothing.
      if (s.value === 'none') return link('augmentation', false);
      return typeof s.value === 'string' ? link('augmentation', true) : null;
    case 'modelKind':
      return MODEL_CHOICES.some((c) => c.id === s.value) ? link('modelKind', s.value as FormModelKind) : link('modelKind');
    case 'earlyStopping.patience':
      return link('patience', finiteNumber(s.value));
    case 'earlyStopping.enabled':
      return link('earlyStop', typeof s.value === 'boolean' ? s.value : undefined);
    case 'dropout':
    case 'weightDecay':
    case 'learningRate':
    case 'epochs':
      return link(s.setting, finiteNumber(s.value));
    default:
      return null;
  }
}

/** Puts the link's value into the form (a Svelte state proxy: the form's inputs follow). True when it changed a field. */
export function applyCoachLink(form: TrainForm, l: CoachLink): boolean {
  if (l.value === undefined) return false;
  (form as unknown as Record<CoachField, unknown>)[l.field] = l.value;
  return true;
}
