import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { BedProfileError, parseBedProfile } from '@aicrn/alarms';
import { AlertingService } from '../alerting.service';
import { Roles } from '@aicrn/nest-platform';
import { parseId } from './query-parsing';

/** Per-bed alarm settings: baseline reset (e.g. after induction) and profile overrides of the clinical defaults. */
@Controller('api/beds/:bedId')
@Roles('viewer')
export class BedAlarmsController {
  constructor(private readonly alerting: AlertingService) {}

  @Get('alarm-settings')
  settings(@Param('bedId') bedId: string) {
    return this.alerting.settings(parseId('bedId', bedId));
  }

  @Post('baseline')
  @Roles('clinician')
  @HttpCode(200)
  resetBaseline(@Param('bedId') bedId: string) {
    return this.alerting.resetBaseline(parseId('bedId', bedId));
  }

  @Put('profile')
  @Roles('clinician')
  setProfile(@Param('bedId') bedId: string, @Body() body: unknown) {
    let profile;
    try {
      profile = parseBedProfile(body ?? {});
    } catch (error) {
      if (error instanceof BedProfileError) throw new BadRequestException(error.issues.join('; '));
      throw error;
    }
    return this.alerting.setProfile(parseId('bedId', bedId), profile);
  }
}
