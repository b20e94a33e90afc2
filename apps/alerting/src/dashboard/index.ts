export { DashboardModule } from './dashboard.module';
export { DASHBOARD_DIR } from './dashboard.constants';
export { DashboardFiles, findPackageRoot, defaultDashboardDir } from './dashboard-files';
