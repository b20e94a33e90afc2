export * from './message-bus-contract';
export * from './sample-records';
export * from './wait-for';
