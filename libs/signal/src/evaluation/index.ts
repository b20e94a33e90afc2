export * from './agreement';
export * from './bland-altman-plot';
export * from './bitmap-font';
export * from './raster';
export * from './method-comparison';
