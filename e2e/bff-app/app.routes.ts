// Routes of the --bff e2e page: /private is behind the generated authGuard (checked on the server
// and in the browser); every other URL is open.
import { Routes } from '@angular/router';
import { authGuard } from './auth/auth.guard';

export const routes: Routes = [
  { path: 'private', canActivate: [authGuard], children: [] },
  { path: '**', children: [] },
];
