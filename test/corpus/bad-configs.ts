// Training configurations as people (and programs) get them wrong: each is what a
// --config file or a train.start request could hold after JSON.parse.
export interface ConfigKind {
  kind: string;
  /** The JSON text, parsed as the CLI parses a --config file. */
  json: string;
  /** The field the error must name; null: the configuration is accepted. */
  field: string | null;
}

export const CONFIG_KINDS: ConfigKind[] = [
  { kind: 'config: wrong type (epochs as a string)', json: '{"epochs": "30"}', field: 'epochs' },
  { kind: 'config: out of range (dropout 2)', json: '{"dropout": 2}', field: 'dropout' },
  { kind: 'config: negative batch size', json: '{"batchSize": -8}', field: 'batchSize' },
  { kind: 'config: fraction where a whole number is needed', json: '{"batchSize": 3.5}', field: 'batchSize' },
  { kind: 'config: unknown field (a typo)', json: '{"learningRat": 0.01}', field: 'learningRat' },
  { kind: 'config: unknown nested field', json: '{"earlyStopping": {"patience": 3, "patiense": 4}}', field: 'earlyStopping.patiense' },
  { kind: 'config: huge number (1e308 epochs)', json: '{"epochs": 1e308}', field: 'epochs' },
  { kind: 'config: number beyond double range (JSON 1e400 → Infinity)', json: '{"learningRate": 1e400}', field: 'learningRate' },
  { kind: 'config: "NaN" as a string', json: '{"weightDecay": "NaN"}', field: 'weightDecay' },
  { kind: 'config: "Infinity" as a string', json: '{"epochs": "Infinity"}', field: 'epochs' },
  { kind: 'config: null for a setting', json: '{"optimizer": null}', field: 'optimizer' },
  { kind: 'config: unknown enum value', json: '{"modelKind": "resnet-9000"}', field: 'modelKind' },
  { kind: 'config: an array instead of an object', json: '[1, 2, 3]', field: null },
  { kind: 'config: __proto__ key (prototype pollution)', json: '{"__proto__": {"polluted": true}, "epochs": 2}', field: '__proto__' },
  { kind: 'config: augmentation of the wrong shape', json: '{"augmentation": {"rotation": "lots"}}', field: 'augmentation' },
  { kind: 'config: seed beyond 32 bits', json: '{"seed": 4294967296}', field: 'seed' },
  { kind: 'config: empty name', json: '{"name": "   "}', field: 'name' },
  { kind: 'config: 10,000-character backbone id', json: JSON.stringify({ backbone: 'x'.repeat(10_000) }), field: 'backbone' },
  { kind: 'config: valid, everything defaulted', json: '{}', field: null },
];
