import { Module } from '@nestjs/common';
import { AlertingService } from './alerting.service';
import { AlertsController } from './api/alerts.controller';
import { BedAlarmsController } from './api/bed-alarms.controller';
import { BedsController } from './api/beds.controller';
import { EventsController } from './api/events.controller';
import { StripController } from './api/strip.controller';
import { StripService } from './strip/strip.service';
import { DashboardModule } from './dashboard';

/** Alerting (measurements -> alerts) and the HTTP API that clinicians and the dashboard use. */
@Module({
  imports: [DashboardModule],
  controllers: [BedsController, BedAlarmsController, StripController, AlertsController, EventsController],
  providers: [AlertingService, StripService],
})
export class AlertingModule {}
