import { DynamicModule, Module } from '@nestjs/common';
import { DASHBOARD_DIR } from './dashboard.constants';
import { DashboardController } from './dashboard.controller';
import { DashboardFiles, defaultDashboardDir } from './dashboard-files';

/**
 * The central-station web dashboard (apps/dashboard, built into dist/dashboard by `npm run build`).
 * Import `DashboardModule` for the default location, or `DashboardModule.register({ dir })`.
 */
@Module({
  controllers: [DashboardController],
  providers: [{ provide: DASHBOARD_DIR, useFactory: defaultDashboardDir }, { provide: DashboardFiles, inject: [DASHBOARD_DIR], useFactory: (dir: string) => new DashboardFiles(dir) }],
})
export class DashboardModule {
  static register(options: { dir: string }): DynamicModule {
    return {
      module: DashboardModule,
      providers: [{ provide: DASHBOARD_DIR, useValue: options.dir }],
    };
  }
}
