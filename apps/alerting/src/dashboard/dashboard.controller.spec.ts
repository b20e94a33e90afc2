import 'reflect-metadata';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DashboardModule } from './dashboard.module';
import { findPackageRoot } from './dashboard-files';

@Controller('api')
class ProbeController {
  @Get()
  api() {
    return { api: true };
  }
}

async function appServing(dir: string): Promise<INestApplication> {
  @Module({ imports: [DashboardModule.register({ dir })], controllers: [ProbeController] })
  class RootModule {}
  const app = await NestFactory.create(RootModule, { logger: false });
  await app.init();
  return app;
}

describe('DashboardController', () => {
  let dir: string;
  let app: INestApplication;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(dir, 'assets', 'icon.svg'), '<svg/>');
    writeFileSync(join(dir, 'secret.txt'), 'not an asset');
    app = await appServing(dir);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / as HTML that is revalidated on every load', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('<title>x</title>');
  });

  it('serves assets with their content types, versioned URLs cached for a year', async () => {
    const server = app.getHttpServer();
    const js = await request(server).get('/assets/app.js?v=abc123').expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await request(server).get('/assets/app.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('no-cache');
    expect((await request(server).get('/assets/icon.svg').expect(200)).headers['content-type']).toBe('image/svg+xml');
  });

  it('refuses anything outside the assets folder or of an unknown type', async () => {
    const server = app.getHttpServer();
    await request(server).get('/assets/..%2Fsecret.txt').expect(404);
    await request(server).get('/assets/..%2Findex.html').expect(404);
    await request(server).get('/assets/.hidden.js').expect(404);
    await request(server).get('/assets/missing.js').expect(404);
    await request(server).get('/secret.txt').expect(404);
  });

  it('does not shadow other routes', async () => {
    const res = await request(app.getHttpServer()).get('/api').expect(200);
    expect(res.body).toEqual({ api: true });
  });

  it('answers 503 with a clear message when the dashboard was not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dashboard-empty-'));
    const unbuilt = await appServing(empty);
    try {
      const res = await request(unbuilt.getHttpServer()).get('/').expect(503);
      expect(res.body.message).toMatch(/not built.*npm run build/);
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('findPackageRoot', () => {
  it('finds the repository root from this folder', () => {
    expect(findPackageRoot(__dirname)).toBe(join(__dirname, '..', '..', '..', '..'));
  });

  it('names the start folder when there is no package.json above it', () => {
    expect(() => findPackageRoot('/')).toThrow(/no package\.json above \//);
  });
});
