/** Settings of the sample routes (from the environment, see example.feature.ts). */
export interface ExampleSettings {
  /** Base URL of the service `GET /api/relay` calls (its `/api/whoami`). */
  readonly relayUrl?: string;
}

/** Injection token of {@link ExampleSettings}. */
export const EXAMPLE_SETTINGS = Symbol('EXAMPLE_SETTINGS');
