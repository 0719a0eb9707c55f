import { Component, signal } from '@angular/core';
import { RouterOutlet } from '@angular/router';

// Baseline: the same page without any auth library.
@Component({
  imports: [RouterOutlet],
  selector: 'app-root',
  templateUrl: './app.html',
})
export class App {
  protected readonly isAuthenticated = signal(false);

  constructor() {
    (window as unknown as Record<string, unknown>)['auth'] = this.isAuthenticated;
  }

  protected login() {
    this.isAuthenticated.set(true);
  }

  protected logout() {
    this.isAuthenticated.set(false);
  }
}
