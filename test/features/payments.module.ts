import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { AllowServices, ClientIdentity, Public } from 'nest-mtls-auth';

/**
 * A tiny route module standing in for one of yours (`src/features/payments/payments.module.ts`,
 * as `nest g resource payments` writes it): the spec next to it is the model to copy. It is not
 * part of the service.
 */
@Controller('payments')
@AllowServices('billing-service', 'spiffe://example.org/ns/prod/*')
export class PaymentsController {
  @Get()
  list(@ClientIdentity() caller: ClientIdentity) {
    return {
      payments: [{ id: 'PAY-1', amount: 120.5, currency: 'EUR' }],
      servedTo: caller.spiffeId ?? caller.commonName,
      source: caller.source,
    };
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: { amount: number }, @ClientIdentity() caller: ClientIdentity) {
    return { id: 'PAY-2', amount: body.amount, createdBy: caller.commonName };
  }

  @Public()
  @Get('status')
  status() {
    return { status: 'up' };
  }
}

@Module({ controllers: [PaymentsController] })
export class PaymentsModule {}
