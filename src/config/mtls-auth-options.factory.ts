import type { MtlsAuthModuleOptions } from '../mtls-auth/interfaces/mtls-auth-options.interface.js';
import type { MtlsConfig } from './app-config.js';
import { readConfigFile } from './read-config-file.js';

/** The auth module's options from the `mtls` config area; files are read here, once. */
export function mtlsAuthOptionsFromConfig(mtls: MtlsConfig): MtlsAuthModuleOptions {
  return {
    trustedCa: readConfigFile('MTLS_CA_FILE', mtls.caFile),
    crl: mtls.crlFile ? readConfigFile('MTLS_CRL_FILE', mtls.crlFile) : undefined,
    allowedCertificateTypes: mtls.allowedCertTypes,
    allowedServices: mtls.allowedServices,
    allowedFingerprints: mtls.allowedFingerprints,
    trustedProxies: mtls.trustedProxies,
    certificateHeader: mtls.certHeader,
    certificateHeaderFormat: mtls.certHeaderFormat,
    verifyHeader: mtls.verifyHeader,
    trustedForwarders: mtls.trustedForwarders,
  };
}
