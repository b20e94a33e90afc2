export * from './fixtures';
export * from './wait-for';
