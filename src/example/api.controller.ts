import { Controller, Get } from '@nestjs/common';
import { AllowServices, ClientIdentity } from 'nest-mtls-auth';

/**
 * The sample API. Every route is guarded by the global guards (any authenticated caller that
 * passes `MTLS_ALLOWED_SERVICES`); `/api/invoices` is further limited to billing-service.
 * A team that clones the starter deletes this folder and writes its own controllers.
 */
@Controller('api')
export class ApiController {
  /** The caller, as the service sees it. */
  @Get('whoami')
  whoami(@ClientIdentity() identity: ClientIdentity): ClientIdentity {
    return identity;
  }

  @Get('data')
  data(@ClientIdentity() identity: ClientIdentity) {
    return {
      items: [
        { id: 1, name: 'alpha' },
        { id: 2, name: 'beta' },
      ],
      servedTo: identity.commonName,
    };
  }

  @Get('invoices')
  @AllowServices('billing-service')
  invoices() {
    return { invoices: [{ id: 'INV-001', amount: 120.5, currency: 'EUR' }] };
  }
}
