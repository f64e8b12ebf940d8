/**
 * Whether tiles are loading anywhere on the map: MapLibre's own sources and deck.gl's tile layers
 * report here, the status line shows it, and the browser test waits for the first quiet moment.
 */
export interface TileActivitySnapshot {
  loading: boolean;
  /** Set once: the map was idle with every tile loaded after the layers were installed. */
  ready: boolean;
}

export class TileActivity {
  private mapBusy = true;
  private deckPending = 0;
  private layersInstalled = false;
  /** An 'idle' after the layers went in: before that, "nothing loading" only means nothing asked yet. */
  private idleSinceInstall = false;
  private snapshot: TileActivitySnapshot = { loading: true, ready: false };
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TileActivitySnapshot => this.snapshot;

  mapLoading(): void {
    this.mapBusy = true;
    this.publish();
  }

  mapIdle(): void {
    this.mapBusy = false;
    if (this.layersInstalled) this.idleSinceInstall = true;
    this.publish();
  }

  layersAdded(): void {
    this.layersInstalled = true;
    this.publish();
  }

  /** Counts a deck.gl tile request until it settles, whether it loads, fails or is cancelled. */
  track<T>(request: Promise<T>): Promise<T> {
    this.deckPending += 1;
    this.publish();
    return request.finally(() => {
      this.deckPending -= 1;
      this.publish();
    });
  }

  private publish(): void {
    const loading = this.mapBusy || this.deckPending > 0;
    const ready = this.snapshot.ready || (this.idleSinceInstall && !loading);
    if (loading === this.snapshot.loading && ready === this.snapshot.ready) return;
    this.snapshot = { loading, ready };
    for (const listener of this.listeners) listener();
  }
}
