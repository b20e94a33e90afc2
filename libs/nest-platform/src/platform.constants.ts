export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
export { MESSAGE_BUS } from '@aicrn/transport';
export { STATE_STORE } from '@aicrn/state';
