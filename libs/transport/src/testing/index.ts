export * from './message-bus-contract';
export * from './wait-for';
