import { Controller, Get, NotFoundException, Param, Query, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@aicrn/nest-platform';
import { DashboardFiles } from './dashboard-files';

/** Versioned asset URLs (?v=<content hash>, written by the build) never change content: cache them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself and unversioned URLs are revalidated, so a rebuild is picked up on the next load. */
const REVALIDATE = 'no-cache';

/**
 * Serves the built dashboard at `/` and `/assets/<file>` only, so it can never shadow /api, /health,
 * /ready or /metrics. Views are hash routes (#/bed/<id>), so no other path needs a fallback.
 */
/** The static bundle carries no data; every API call it makes is authorised on its own. */
@Public()
@Controller()
export class DashboardController {
  constructor(private readonly files: DashboardFiles) {}

  @Get()
  async index(@Res() res: Response): Promise<void> {
    const file = await this.files.index();
    if (!file) throw new ServiceUnavailableException(`the dashboard is not built (no index.html in ${this.files.dir}): run npm run build`);
    res.set({ 'Content-Type': file.contentType, 'Cache-Control': REVALIDATE }).send(file.body);
  }

  @Get('assets/:name')
  async asset(@Param('name') name: string, @Query('v') version: string | undefined, @Res() res: Response): Promise<void> {
    const file = await this.files.asset(name);
    if (!file) throw new NotFoundException(`no dashboard asset ${name}`);
    res.set({ 'Content-Type': file.contentType, 'Cache-Control': version ? IMMUTABLE : REVALIDATE }).send(file.body);
  }
}
