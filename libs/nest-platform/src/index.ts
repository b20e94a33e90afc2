export * from './platform.constants';
export * from './platform.module';
export * from './readiness';
export * from './health.controller';
export * from './http-app';
export * from './http-errors.filter';
export * from './run-app';
