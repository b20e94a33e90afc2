export * from './window-record';
export * from './ingest-window';
export * from './measurement-method';
export * from './build-measurement';
export * from './dsp-method';
export * from './measure-windows';
export * from './display-strip';
export * from './ward-simulator';
