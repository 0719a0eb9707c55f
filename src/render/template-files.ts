import { join } from 'node:path';

/** The template folders, shipped with the package (the current release's; all releases are in migrations/history.json). */
export const TEMPLATES = join(__dirname, '..', '..', '..', 'templates');
