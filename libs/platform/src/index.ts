export * from './config';
export * from './logger';
export * from './metrics';
export * from './child-process';
