// Routes of the e2e page (replace the CLI's empty app.routes.ts): every URL is a route, so an app
// served under a sub-path can come back to any deep link. The generated authGuard guards them all
// when the driver sets sessionStorage 'e2e.guard' = 'all' (a start page behind the guard).
import { CanActivateFn, Routes } from '@angular/router';
import { authGuard } from './auth/auth.guard';

const guardWhenAsked: CanActivateFn = (route, state) =>
  sessionStorage.getItem('e2e.guard') === 'all' ? authGuard(route, state) : true;

export const routes: Routes = [{ path: '**', canActivate: [guardWhenAsked], children: [] }];
