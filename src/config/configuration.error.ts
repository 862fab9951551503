/**
 * Start-up configuration that cannot work. Its message names the variable, the value and the fix;
 * `main.ts` prints it and exits non-zero instead of starting a service that would misbehave.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
