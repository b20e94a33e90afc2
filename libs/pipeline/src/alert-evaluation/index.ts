export * from './bed-run';
export * from './evaluation-scenarios';
export * from './evaluation-beds';
export * from './ground-truth';
export * from './score-evaluation';
export * from './run-evaluation';
export * from './format-report';
