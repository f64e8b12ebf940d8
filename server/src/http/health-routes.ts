import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { HttpProblem } from './problem.ts';

export function healthRoutes(database: Database): Router {
  const router = Router();
  router.get('/api/health', async (_request, response) => {
    let postgis: string | undefined;
    try {
      const { rows } = await database.pool.query<{ postgis: string }>('SELECT postgis_lib_version() AS postgis');
      postgis = rows[0]?.postgis;
    } catch {
      throw new HttpProblem(503, 'Service Unavailable', 'The database does not answer.');
    }
    response.json({ status: 'ok', database: { engine: database.engine, postgis } });
  });
  return router;
}
