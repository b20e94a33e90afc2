import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { LatestStrip } from '@aicrn/contracts';
import { Roles, STATE_STORE } from '@aicrn/nest-platform';
import { StateStore } from '@aicrn/state';
import { StripService } from '../strip/strip.service';
import { parseId } from './query-parsing';

@Controller('api/beds/:bedId/strip')
@Roles('viewer')
export class StripController {
  constructor(
    private readonly strips: StripService,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {}

  /** The bed's latest window for drawing, with the measurement of that window when it is ready. */
  @Get()
  async latest(@Param('bedId') bedIdParam: string): Promise<LatestStrip> {
    const bedId = parseId('bedId', bedIdParam);
    const strip = await this.strips.latest(bedId);
    if (!strip) throw new NotFoundException(`no window received yet for bed ${bedId}`);
    // The latest measurement is the one kept whole (with fiducials and attention); until the strip's
    // window is measured there is nothing to mark on it.
    const latest = (await this.state.getBed(bedId))?.latest ?? null;
    return { ...strip, measurement: latest?.window_id === strip.window_id ? latest : null };
  }
}
