import type { MtlsAuthModuleOptions } from './mtls-auth-options.js';

/** One invalid option and what is wrong with it. */
export interface OptionProblem {
  readonly option: keyof MtlsAuthModuleOptions;
  readonly message: string;
}

/**
 * The module's options do not work. `problems` names each option, so an application that maps
 * its own settings (environment variables, files) onto the options can say which setting to fix.
 */
export class MtlsAuthOptionsError extends Error {
  constructor(readonly problems: readonly OptionProblem[]) {
    super(
      `MtlsAuthModule options are invalid:\n${problems.map((p) => `  - ${p.option}: ${p.message}`).join('\n')}`,
    );
    this.name = 'MtlsAuthOptionsError';
  }
}
