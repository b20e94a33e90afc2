import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { Roles, STATE_STORE } from '@aicrn/nest-platform';
import { StateStore } from '@aicrn/state';
import { parseId, parseLimit, parseSince } from './query-parsing';

const HOUR_MS = 3600_000;

@Controller('api/beds')
@Roles('viewer')
export class BedsController {
  constructor(@Inject(STATE_STORE) private readonly state: StateStore) {}

  /** Every bed with its latest measurement and active alerts. */
  @Get()
  async list() {
    const beds = await this.state.listBeds();
    return { beds, count: beds.length };
  }

  @Get(':bedId')
  async get(@Param('bedId') bedIdParam: string) {
    const bed = await this.state.getBed(parseId('bedId', bedIdParam));
    if (!bed) throw new NotFoundException(`no bed ${bedIdParam}`);
    return bed;
  }

  /** Trend of a bed: measurements since `since` (default: the last hour), oldest first. */
  @Get(':bedId/measurements')
  async measurements(@Param('bedId') bedIdParam: string, @Query('since') since?: string, @Query('limit') limit?: string) {
    const bedId = parseId('bedId', bedIdParam);
    const sinceMs = parseSince(since, Date.now() - HOUR_MS);
    const max = parseLimit(limit, 10_000, 10_000);
    if (!(await this.state.getBed(bedId))) throw new NotFoundException(`no bed ${bedId}`);
    const measurements = await this.state.trend(bedId, sinceMs, max);
    return { bed_id: bedId, since_ms: sinceMs, count: measurements.length, measurements };
  }
}
