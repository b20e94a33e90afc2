import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { AlertState } from '@aicrn/contracts';
import { CurrentPrincipal, Principal, Roles, STATE_STORE } from '@aicrn/nest-platform';
import { StateStore } from '@aicrn/state';
import { AlertingService } from '../alerting.service';
import { parseId, parseLimit, parseSince } from './query-parsing';

const STATES = ['active', 'raised', 'escalated', 'acknowledged', 'cleared'] as const;
const USER_PATTERN = /^[\p{L}\p{N} ._@-]{1,64}$/u;

@Controller('api/alerts')
@Roles('viewer')
export class AlertsController {
  constructor(
    @Inject(STATE_STORE) private readonly state: StateStore,
    private readonly alerting: AlertingService,
  ) {}

  /** Alerts, newest first: `state=active` for the ones still needing attention. */
  @Get()
  async list(@Query('state') state?: string, @Query('bed_id') bedId?: string, @Query('since') since?: string, @Query('limit') limit?: string) {
    if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw new BadRequestException(`state must be one of ${STATES.join(', ')}`);
    const alerts = await this.state.listAlerts({
      state: state as 'active' | AlertState | undefined,
      bed_id: bedId === undefined ? undefined : parseId('bed_id', bedId),
      since_ms: since === undefined ? undefined : parseSince(since, 0),
      limit: parseLimit(limit, 200, 5000),
    });
    return { alerts, count: alerts.length };
  }

  @Get(':alertId')
  async get(@Param('alertId') alertId: string) {
    const alert = await this.state.getAlert(parseId('alertId', alertId));
    if (!alert) throw new NotFoundException(`no alert ${alertId}`);
    return alert;
  }

  /** Acknowledges an alert (a latched alert whose condition ended is cleared by this). */
  @Post(':alertId/ack')
  @HttpCode(200)
  @Roles('clinician')
  async acknowledge(@Param('alertId') alertId: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal) {
    // An authenticated acknowledgement is attributed to the token's holder, never to a name in the body.
    if (principal) return this.alerting.acknowledge(parseId('alertId', alertId), principal.name);
    const user = body && typeof body === 'object' ? (body as { user?: unknown }).user : undefined;
    if (user !== undefined && (typeof user !== 'string' || !USER_PATTERN.test(user))) {
      throw new BadRequestException('user must be 1-64 letters, digits, spaces or ._@- (a staff or station id, not a patient name)');
    }
    return this.alerting.acknowledge(parseId('alertId', alertId), (user as string | undefined) ?? 'local-user');
  }
}
